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


def test_the_checklist_starts_from_the_baselines_ratings_and_shows_each_level_then(
    page_client, therapist, baseline, follow_up
):
    client = page_client(therapist)
    page = client.get(f"/evaluations/{follow_up.public_id}/adl-checklist/")
    grid = page.context["editor"].parts[0]
    before = {form.initial["activity"]: form.before for form in grid.formset.forms}
    starting = {form.initial["activity"]: form.initial for form in grid.formset.forms}
    dressing = record_of(baseline, therapist).adl_ratings[0]
    assert dressing.activity.code == "dressing"
    assert before["dressing"] == dressing.get_assist_level_display()
    assert before["toileting"] is None  # not rated at baseline
    assert starting["dressing"]["assist_level"] == dressing.assist_level  # a starting value to change
    assert starting["dressing"]["priority"] == dressing.priority
    assert starting["dressing"]["notes"] == ""  # the day's notes are written anew
    assert starting["toileting"]["assist_level"] == ""
    html = page.content.decode()
    assert f"On {baseline.date_of_service:%m/%d/%Y}: {dressing.get_assist_level_display()}" in html
    assert "Levels, limits and priorities start from the" in html
    # Saved as shown, with one level changed: the others are today's ratings, unchanged.
    index = [form.initial["activity"] for form in grid.formset.forms].index("dressing")
    response = post_section(
        client, follow_up, "adl-checklist", **{f"ratings-{index}-assist_level": "independent"}
    )
    assert response.status_code == 302
    ratings = {r.activity.code: r.assist_level for r in record_of(follow_up, therapist).adl_ratings}
    then = {r.activity.code: r.assist_level for r in record_of(baseline, therapist).adl_ratings}
    assert ratings == {**then, "dressing": "independent"}


def test_the_occupational_inventory_is_carried_as_it_was_and_saved_as_shown(
    page_client, therapist, baseline, follow_up
):
    client = page_client(therapist)
    page = client.get(f"/evaluations/{follow_up.public_id}/occupational-inventory/")
    assert "as recorded then: change what is different today" in page.content.decode()
    assert post_section(client, follow_up, "occupational-inventory").status_code == 302
    then, now = (content_of(record_of(e, therapist))["occupational_inventory"] for e in (baseline, follow_up))
    for key in ("roles", "mobility", "iadl_inventory", "other_activities"):
        fields = (
            [f.name for f in then[key][0]._meta.fields if f.name not in ("id", "evaluation")]
            if then[key]
            else []
        )
        assert [[getattr(r, f) for f in fields] for r in now[key]] == [
            [getattr(r, f) for f in fields] for r in then[key]
        ], key


def test_cognition_offers_the_areas_and_screens_with_the_years_of_education(
    page_client, therapist, baseline, follow_up
):
    page = page_client(therapist).get(f"/evaluations/{follow_up.public_id}/cognition/")
    screens = next(part for part in page.context["editor"].parts if part.key == "screens")
    then = record_of(baseline, therapist).cognitive_screens[0]
    form = next(form for form in screens.formset.forms if form.instrument.key == then.instrument)
    # Years of education carried; the score measured anew, with the earlier total shown beside it.
    assert form.initial["education_years"] == then.education_years
    assert "total_score" not in form.initial
    assert form.before == f"{then.total_score}/{form.instrument.high}"
