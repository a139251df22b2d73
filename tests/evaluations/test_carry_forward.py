"""A re-evaluation starts from its baseline: the plan and scales as editable values, and each
carried list's rows (what was measured and how) with the values left to measure again and the
earlier value shown beside them."""

import pytest
from django.utils import timezone

from evaluations.choices import EvaluationKind
from evaluations.services import CARRIED_EVALUATION_FIELDS, start_evaluation
from tests.evaluations.records import content_of, record_of
from tests.evaluations.test_report import signed
from tests.evaluations.test_views import page_data, post_section

pytestmark = pytest.mark.django_db


@pytest.fixture
def baseline(therapist, patient):
    return signed(therapist, patient, when=timezone.localdate() - timezone.timedelta(weeks=6))


@pytest.fixture
def follow_up(therapist, patient, baseline):
    return start_evaluation(
        by=therapist,
        patient=patient,
        kind=EvaluationKind.RE_EVALUATION,
        date_of_service=timezone.localdate(),
        previous_evaluation=baseline,
    )


def test_a_re_evaluation_starts_with_the_scale_complexity_history_and_plan_of_its_baseline(
    baseline, follow_up
):
    for name in CARRIED_EVALUATION_FIELDS:
        assert getattr(follow_up, name) == getattr(baseline, name), name
    assert follow_up.mmt_scale == "kendall" and follow_up.sessions_per_week == 2
    assert follow_up.cpt_code == "" and follow_up.assessment_summary == ""  # judged anew


def test_the_page_lists_the_baselines_rows_with_values_cleared_and_the_earlier_value_beside(
    page_client, therapist, baseline, follow_up
):
    page = page_client(therapist).get(f"/evaluations/{follow_up.public_id}/physical-function/")
    assert page.status_code == 200
    content = page.content.decode()
    assert f"From the {baseline.date_of_service:%m/%d/%Y} evaluation" in content
    strength = next(part for part in page.context["editor"].parts if part.key == "strength")
    forms = strength.formset.forms
    # One line for the hip abductors, with the left and right grades measured then beside each side.
    first = forms[0]
    assert (first.initial["muscle_group"], first.initial["sides"], first.initial["offered"]) == (
        "hip_abductors",
        "pair",
        True,
    )
    assert "left_grade" not in first.initial and "right_grade" not in first.initial  # measured again
    assert first.before["right"].startswith("3+") and first.before["left"].startswith("4+")
    assert forms[1].initial == {} and forms[1].before == {}  # blank lines to add more
    assert f"On {baseline.date_of_service:%m/%d/%Y}: 3+" in content


def test_only_carried_rows_measured_again_are_saved(page_client, therapist, follow_up):
    response = post_section(
        page_client(therapist),
        follow_up,
        "physical-function",
        **{"strength-0-right_grade": "4", "range_of_motion-0-right_degrees": "100"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    saved = content_of(record_of(follow_up, therapist))["physical_function"]
    assert [(row.muscle_group.code, row.side, row.grade) for row in saved["strength"]] == [
        ("hip_abductors", "right", "4")
    ]
    assert [(row.joint_motion.code, row.side, row.degrees) for row in saved["range_of_motion"]] == [
        ("hip_flexion", "right", 100)
    ]
    assert saved["grip"] == [] and saved["pinch"] == []  # carried, not measured today: not saved


def test_once_saved_the_measured_side_is_the_therapists_and_the_rest_is_still_offered(
    page_client, therapist, follow_up
):
    client = page_client(therapist)
    post_section(client, follow_up, "physical-function", **{"strength-0-left_grade": "5"})
    page = client.get(f"/evaluations/{follow_up.public_id}/physical-function/")
    strength = next(part for part in page.context["editor"].parts if part.key == "strength")
    first = strength.formset.forms[0]
    assert (first.initial["muscle_group"], first.initial["left_grade"]) == ("hip_abductors", "5")
    assert "right_grade" not in first.initial
    assert first.before["left"].startswith("4+")
    grip = next(part for part in page.context["editor"].parts if part.key == "grip")
    assert grip.carried and grip.formset.forms[0].initial["offered"] is True  # still to measure


def test_an_offer_left_untouched_stays_unsaved_after_autosave_saved_another(
    page_client, therapist, follow_up
):
    """Autosave posts the same page again and again: once some rows are saved, the offers it still
    holds are known by their marker, not taken for rows missing their values."""
    client = page_client(therapist)
    page = client.get(f"/evaluations/{follow_up.public_id}/physical-function/")
    data = {
        **page_data(page.context["editor"]),
        "loaded_version": page.context["loaded_version"],
        "grip-0-right_trial_1_kg": "25",
    }
    first = client.post(f"/evaluations/{follow_up.public_id}/physical-function/autosave/", data)
    assert first.json()["state"] == "saved", first.json()
    again = client.post(
        f"/evaluations/{follow_up.public_id}/physical-function/autosave/",
        {**data, "loaded_version": first.json()["version"]},
    )
    assert again.json()["state"] == "saved", again.json()
    saved = content_of(record_of(follow_up, therapist))["physical_function"]
    assert [(row.hand, row.trial_1_kg) for row in saved["grip"]] == [("right", 25)]
    assert saved["strength"] == []


def test_an_initial_evaluation_carries_nothing(page_client, therapist, patient):
    draft = start_evaluation(by=therapist, patient=patient, date_of_service=timezone.localdate())
    page = page_client(therapist).get(f"/evaluations/{draft.public_id}/physical-function/")
    assert "From the" not in page.content.decode()
    assert all(not part.carried for part in page.context["editor"].parts)


def test_the_checklist_shows_each_activitys_level_at_baseline_and_rates_nothing_for_today(
    page_client, therapist, baseline, follow_up
):
    page = page_client(therapist).get(f"/evaluations/{follow_up.public_id}/adl-checklist/")
    grid = page.context["editor"].parts[0]
    before = {form.initial["activity"]: form.before for form in grid.formset.forms}
    dressing = record_of(baseline, therapist).adl_ratings[0]
    assert dressing.activity.code == "dressing"
    assert before["dressing"] == dressing.get_assist_level_display()
    assert before["toileting"] is None  # not rated at baseline
    assert all(not form.initial["assist_level"] for form in grid.formset.forms)  # rated anew
    assert (
        f"On {baseline.date_of_service:%m/%d/%Y}: {dressing.get_assist_level_display()}"
        in page.content.decode()
    )
