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


def _rating(activity: str, **described) -> dict:
    return {"activity": activity, **described}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("described", "level"),
    [
        ({"helper_effort_pct": 25}, "minimal_assist"),  # the patient does 75 %: Min A
        ({"helper_effort_pct": 26}, "moderate_assist"),
        ({"helper_effort_pct": 50}, "moderate_assist"),
        ({"helper_effort_pct": 51}, "maximal_assist"),
        ({"helper_effort_pct": 76}, "dependent"),
        ({"setup_only": True}, "supervision"),
        ({"helper_effort_pct": 40, "assist_level": "moderate_assist"}, "moderate_assist"),  # agreeing
        ({"helper_effort_pct": 0, "assist_level": "contact_guard"}, "contact_guard"),  # no physical help
    ],
)
def test_the_api_takes_a_description_of_the_help_instead_of_a_level(
    api_client, therapist, patient, described, level
):
    from evaluations.models import ActivityRating
    from tests.factories import EvaluationFactory

    draft = EvaluationFactory(therapist=therapist, patient=patient)
    response = api_client(therapist).patch(
        f"/api/v1/evaluations/{draft.public_id}/",
        {"adl_checklist": {"ratings": [_rating("dressing", **described)]}},
        format="json",
    )
    assert response.status_code == 200, response.content
    (row,) = response.json()["sections"]["adl_checklist"]["ratings"]
    assert row["assist_level"] == level
    assert ActivityRating.objects.get().assist_level == level


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("described", "field", "message"),
    [
        (
            {"helper_effort_pct": 40, "assist_level": "minimal_assist"},
            "assist_level",
            "A helper doing 40% of the effort is moderate assist by the boundary rule, not minimal assist.",
        ),
        (
            {"helper_effort_pct": 0, "assist_level": "moderate_assist"},
            "assist_level",
            "Moderate assist means the helper supplies part of the effort, but the share given is 0%.",
        ),
        ({"helper_effort_pct": 0}, "assist_level", "With no physical help, choose the level"),
        ({"helper_effort_pct": 30, "setup_only": True}, "setup_only", "Set-up only means no physical help"),
        ({"helper_effort_pct": 101}, "helper_effort_pct", "less than or equal to 100"),
        ({}, "assist_level", "This field cannot be blank."),
    ],
)
def test_a_description_that_contradicts_the_level_is_refused(
    api_client, therapist, patient, described, field, message
):
    from evaluations.models import ActivityRating
    from tests.factories import EvaluationFactory

    draft = EvaluationFactory(therapist=therapist, patient=patient)
    response = api_client(therapist).patch(
        f"/api/v1/evaluations/{draft.public_id}/",
        {"adl_checklist": {"ratings": [_rating("dressing", **described)]}},
        format="json",
    )
    assert response.status_code == 400, response.content
    errors = response.json()["adl_checklist"]["ratings"]["0"]
    assert any(message in text for text in errors[field]), errors
    assert not ActivityRating.objects.exists()


@pytest.mark.django_db
def test_the_page_grid_takes_the_helpers_share_and_shows_the_gg_code_it_decides(
    page_client, therapist, patient
):
    from evaluations.models import ActivityRating
    from tests.evaluations.test_views import page_data
    from tests.factories import EvaluationFactory

    draft = EvaluationFactory(therapist=therapist, patient=patient)
    client = page_client(therapist)
    page = client.get(f"/evaluations/{draft.public_id}/adl-checklist/")
    part = page.context["editor"].parts[0]
    index = next(i for i, form in enumerate(part.formset.forms) if form.initial["activity"] == "dressing")
    data = {**page_data(page.context["editor"]), "loaded_version": page.context["loaded_version"]}
    # No level chosen (no script to choose it): the share decides. 60 % by the helper is Max A, GG 02.
    data[f"ratings-{index}-helper_effort_pct"] = "60"
    assert client.post(f"/evaluations/{draft.public_id}/adl-checklist/", data).status_code == 302
    assert ActivityRating.objects.get().assist_level == "maximal_assist"
    shown = client.get(f"/evaluations/{draft.public_id}/").content.decode()
    assert "Maximal assist (FIM 2; GG 02; helper 60%)" in shown
    # Moderate assist with the helper doing less than half: Section GG 03, which the level alone cannot say.
    data[f"ratings-{index}-helper_effort_pct"] = "40"
    page = client.get(f"/evaluations/{draft.public_id}/adl-checklist/")
    data["loaded_version"] = page.context["loaded_version"]
    assert client.post(f"/evaluations/{draft.public_id}/adl-checklist/", data).status_code == 302
    shown = client.get(f"/evaluations/{draft.public_id}/").content.decode()
    assert "Moderate assist (FIM 3; GG 03; helper 40%)" in shown
