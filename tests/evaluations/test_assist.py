"""Assist levels from a description of the help, by the reference's boundary rule, with FIM and
Section GG codes."""

import pytest

from evaluations.instruments.assist import assist_level, equivalents
from evaluations.instruments.scoring import InvalidInput


@pytest.mark.parametrize(
    ("helper", "level", "fim", "gg"),
    [
        (1, "minimal_assist", 4, "03"),
        (25, "minimal_assist", 4, "03"),  # patient 75 %: Min A (FIM 4)
        (26, "moderate_assist", 3, "03"),
        (50, "moderate_assist", 3, None),  # exactly half: no GG code
        (51, "maximal_assist", 2, "02"),
        (75, "maximal_assist", 2, "02"),  # patient 25 %: Max A
        (76, "dependent", 1, "02"),  # the helper does most, not all: GG 02
        (100, "dependent", 1, "01"),
    ],
)
def test_the_helpers_share_sets_the_level_at_the_fim_boundaries(helper, level, fim, gg):
    found = assist_level(helper_effort_pct=helper)
    assert (found.level, found.fim, found.gg) == (level, fim, gg)


def test_help_without_physical_effort():
    assert assist_level(touching=True).level == "contact_guard"
    assert assist_level(touching=True).fim is None  # the reference marks CGA's FIM mapping unverified
    assert (assist_level(supervision_or_setup=True).fim, assist_level(supervision_or_setup=True).gg) == (
        5,
        "04",
    )
    assert assist_level(setup_only=True).gg == "05"
    assert (assist_level(device_or_extra_time=True).level, assist_level(device_or_extra_time=True).fim) == (
        "modified_independent",
        6,
    )
    assert (assist_level().level, assist_level().fim, assist_level().gg) == ("independent", 7, "06")


def test_a_level_alone_gives_what_it_can():
    assert (
        equivalents("moderate_assist").gg is None and "helper's share" in equivalents("moderate_assist").note
    )
    assert equivalents("minimal_assist").gg == "03"
    with pytest.raises(InvalidInput):
        assist_level(helper_effort_pct=120)
    with pytest.raises(InvalidInput):
        equivalents("somewhat")


@pytest.mark.django_db
def test_the_checklists_show_each_levels_fim_and_gg_codes(page_client, therapist, patient):
    from tests.evaluations.test_report import signed

    evaluation = signed(therapist, patient)  # dressing at minimal assist
    page = page_client(therapist).get(f"/evaluations/{evaluation.public_id}/").content.decode()
    assert "Minimal assist (FIM 4; GG 03)" in page
