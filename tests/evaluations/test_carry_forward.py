"""A re-evaluation starts from its baseline: the plan and scales as editable values, and each
carried list's rows (what was measured and how) with the values left to measure again and the
earlier value shown beside them."""

import pytest
from django.utils import timezone

from evaluations.choices import EvaluationKind
from evaluations.services import CARRIED_EVALUATION_FIELDS, start_evaluation
from tests.evaluations.records import content_of, record_of
from tests.evaluations.test_report import signed
from tests.evaluations.test_views import post_section

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
    assert [(form.initial["muscle_group"], form.initial["side"]) for form in forms[:2]] == [
        ("hip_abductors", "right"),
        ("hip_abductors", "left"),
    ]
    assert "grade" not in forms[0].initial  # measured again, not copied
    assert forms[0].before.startswith("3+") and forms[1].before.startswith("4+")
    assert forms[2].initial == {} and forms[2].before is None  # blank rows to add more
    assert f'<th scope="col">On {baseline.date_of_service:%m/%d/%Y}</th>' in content


def test_only_carried_rows_measured_again_are_saved(page_client, therapist, follow_up):
    response = post_section(
        page_client(therapist),
        follow_up,
        "physical-function",
        **{"strength-0-grade": "4", "range_of_motion-0-degrees": "100"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    saved = content_of(record_of(follow_up, therapist))["physical_function"]
    assert [(row.muscle_group.code, row.side, row.grade) for row in saved["strength"]] == [
        ("hip_abductors", "right", "4")
    ]
    assert [(row.joint_motion.code, row.degrees) for row in saved["range_of_motion"]] == [
        ("hip_flexion", 100)
    ]
    assert saved["grip"] == [] and saved["pinch"] == []  # carried, not measured today: not saved


def test_once_saved_the_list_is_the_therapists_and_the_earlier_value_stays_beside(
    page_client, therapist, follow_up
):
    client = page_client(therapist)
    post_section(client, follow_up, "physical-function", **{"strength-1-grade": "5"})
    page = client.get(f"/evaluations/{follow_up.public_id}/physical-function/")
    strength = next(part for part in page.context["editor"].parts if part.key == "strength")
    assert strength.carried == []
    first = strength.formset.forms[0]
    assert (first.initial["side"], first.initial["grade"]) == ("left", "5")
    assert first.before.startswith("4+")


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
