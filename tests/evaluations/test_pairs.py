"""Paired entry: one line per measure with its left and right values, stored one row per side."""

import pytest

from evaluations.sections import PHYSICAL
from evaluations.services import save_sections
from occupations.models import MuscleGroup
from tests.evaluations.records import content_of, record_of
from tests.evaluations.test_views import page_data
from tests.factories import EvaluationFactory

PAGE = "physical-function"


@pytest.fixture
def draft(therapist, patient):
    return EvaluationFactory(therapist=therapist, patient=patient)


def post(client, evaluation, slug=PAGE, **changes):
    page = client.get(f"/evaluations/{evaluation.public_id}/{slug}/")
    data = {**page_data(page.context["editor"]), "loaded_version": page.context["loaded_version"], **changes}
    return client.post(f"/evaluations/{evaluation.public_id}/{slug}/", data)


def saved(evaluation, therapist, key, *fields, section="physical_function"):
    rows = content_of(record_of(evaluation, therapist))[section][key]
    return [tuple(getattr(getattr(row, f), "code", getattr(row, f)) for f in fields) for row in rows]


def test_a_line_with_both_sides_is_two_rows_and_one_side_is_one(page_client, therapist, draft):
    response = post(
        page_client(therapist),
        draft,
        **{
            "strength-0-muscle_group": "hip_abductors",
            "strength-0-left_grade": "4+",
            "strength-0-right_grade": "3",
            "strength-0-notes": "pain at end range",
            "strength-1-muscle_group": "hip_flexors",
            "strength-1-right_grade": "3-",
            "grip-0-left_trial_1_kg": "20",
            "grip-0-right_trial_1_kg": "22.5",
            "grip-0-right_trial_2_kg": "23",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert saved(draft, therapist, "strength", "muscle_group", "side", "grade", "notes") == [
        ("hip_abductors", "left", "4+", "pain at end range"),
        ("hip_abductors", "right", "3", "pain at end range"),
        ("hip_flexors", "right", "3-", ""),
    ]
    assert [
        (hand, float(t1), t2)
        for hand, t1, t2 in saved(draft, therapist, "grip", "hand", "trial_1_kg", "trial_2_kg")
    ] == [
        ("left", 20.0, None),
        ("right", 22.5, 23),
    ]


def test_the_page_shows_stored_rows_as_lines_again(page_client, therapist, draft):
    save_sections(
        record=record_of(draft, therapist),
        by=therapist,
        contents={
            PHYSICAL: {
                "strength": [
                    {
                        "muscle_group": MuscleGroup.objects.get(code="hip_abductors"),
                        "side": side,
                        "grade": grade,
                    }
                    for side, grade in (("right", "3"), ("left", "4+"))
                ]
            }
        },
    )
    page = page_client(therapist).get(f"/evaluations/{draft.public_id}/{PAGE}/")
    line = page.context["editor"].parts[0].formset.forms[0]
    assert {k: line.initial[k] for k in ("muscle_group", "sides", "left_grade", "right_grade")} == {
        "muscle_group": "hip_abductors",
        "sides": "pair",
        "left_grade": "4+",
        "right_grade": "3",
    }
    # Saved untouched, the same two rows come back (nothing added, nothing lost).
    assert post(page_client(therapist), draft).status_code == 302
    assert saved(draft, therapist, "strength", "side", "grade") == [("left", "4+"), ("right", "3")]


def test_errors_land_on_the_side_that_caused_them_and_nothing_is_saved(page_client, therapist, draft):
    response = post(
        page_client(therapist),
        draft,
        **{
            "range_of_motion-0-joint_motion": "shoulder_flexion",
            "range_of_motion-0-mode": "active",
            "range_of_motion-0-left_degrees": "150",
            "range_of_motion-0-right_degrees": "400",
            "strength-0-muscle_group": "knee_extensors",  # a measure with no value on either side
        },
    )
    assert response.status_code == 400
    rom, strength = (response.context["editor"].parts[i].formset.forms for i in (1, 0))
    assert "outside what shoulder flexion can measure" in " ".join(rom[0].errors["right_degrees"])
    assert "left_degrees" not in rom[0].errors
    assert strength[0].non_field_errors() == ["Enter the left or the right value, or remove this line."]
    assert saved(draft, therapist, "range_of_motion", "degrees") == []
    assert saved(draft, therapist, "strength", "grade") == []


def test_the_services_rules_land_on_the_line_that_breaks_them(page_client, therapist, draft):
    response = post(
        page_client(therapist),
        draft,
        **{
            "strength-0-muscle_group": "hip_flexors",
            "strength-0-left_grade": "4",
            "strength-1-muscle_group": "hip_flexors",  # the same muscle group and side twice
            "strength-1-left_grade": "3",
        },
    )
    assert response.status_code == 400
    assert response.context["editor"].error_map() == {
        "strength-1-muscle_group": ["This is the same as entry 1; record it once."]
    }


def test_a_bilateral_line_has_one_value_and_an_unsided_test_is_stored_as_such(page_client, therapist, draft):
    client = page_client(therapist)
    both = post(
        client,
        draft,
        **{
            "range_of_motion-0-joint_motion": "cervical_rotation",
            "range_of_motion-0-mode": "active",
            "range_of_motion-0-sides": "midline",
            "range_of_motion-0-left_degrees": "60",
            "range_of_motion-0-right_degrees": "70",
        },
    )
    assert both.status_code == 400
    assert "A midline measure has one value: leave Right empty." in both.content.decode()
    midline = post(
        client,
        draft,
        **{
            "range_of_motion-0-joint_motion": "cervical_rotation",
            "range_of_motion-0-mode": "active",
            "range_of_motion-0-sides": "midline",
            "range_of_motion-0-left_degrees": "60",
            "range_of_motion-0-right_degrees": "",  # the page came back with what was typed: corrected
        },
    )
    assert midline.status_code == 302
    assert saved(draft, therapist, "range_of_motion", "joint_motion", "side", "degrees") == [
        ("cervical_rotation", "midline", 60)
    ]
    response = post(
        client,
        draft,
        "neuromuscular-function",
        **{
            "tests-1-test": "timed_up_and_go",  # the catalogue says: not done per side
            "tests-1-left_value": "14.2",
            "tests-2-test": "nine_hole_peg",
            "tests-2-left_value": "24.5",
            "tests-2-right_value": "21.5",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert [
        (test, side, float(value))
        for test, side, value in saved(
            draft, therapist, "tests", "test", "side", "value", section="neuromuscular_function"
        )
    ] == [
        ("timed_up_and_go", "none", 14.2),
        ("nine_hole_peg", "left", 24.5),
        ("nine_hole_peg", "right", 21.5),
    ]


def test_a_region_adds_its_lines_without_script_and_saves_nothing(page_client, therapist, draft):
    client = page_client(therapist)
    response = post(client, draft, add_region="strength", **{"add_region-strength": "hip"})
    assert response.status_code == 200
    lines = [form["muscle_group"].value() for form in response.context["editor"].parts[0].formset.forms]
    assert [line or "" for line in lines[:3]] == ["", "", ""] and lines[3:] == [
        "hip_flexors",
        "hip_extensors",
        "hip_abductors",
        "hip_adductors",
        "hip_internal_rotators",
        "hip_external_rotators",
    ]
    assert not response.context["editor"].has_errors
    assert saved(draft, therapist, "strength", "grade") == []
    # Lines of a region left without values are not saved, and raise no error.
    data = {**page_data(response.context["editor"]), "loaded_version": response.context["loaded_version"]}
    data["strength-4-left_grade"] = "4-"
    assert client.post(f"/evaluations/{draft.public_id}/{PAGE}/", data).status_code == 302
    assert saved(draft, therapist, "strength", "muscle_group", "side", "grade") == [
        ("hip_extensors", "left", "4-")
    ]


def test_the_region_choices_come_from_the_catalogue(page_client, therapist, draft):
    page = page_client(therapist).get(f"/evaluations/{draft.public_id}/{PAGE}/")
    strength, rom = page.context["editor"].parts[0], page.context["editor"].parts[1]
    regions = {region["slug"]: region["codes"] for region in strength.regions}
    assert regions["shoulder"][:2] == ["scapular_retractors", "scapular_depressors"]
    assert {region["slug"] for region in rom.regions} >= {"hip", "knee", "shoulder", "wrist"}
    assert all(code.startswith("hip_") for code in {r["slug"]: r["codes"] for r in rom.regions}["hip"])
    assert 'data-codes="hip_flexors hip_extensors' in page.content.decode()
