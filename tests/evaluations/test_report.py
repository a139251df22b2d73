import io
from datetime import timedelta

import pytest
from django.utils import timezone
from pypdf import PdfReader

from audit.models import AuditEvent
from evaluations.models import RangeOfMotionMeasurement
from evaluations.sections import SECTIONS
from evaluations.services import add_addendum, save_sections, sign_evaluation, start_evaluation
from occupations.models import JointMotion
from tests.evaluations.content import as_sections, full_content
from tests.evaluations.records import record_of
from tests.factories import EvaluationFactory
from tests.queries import AUDIT_EVENT

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery"


def signed(therapist, patient, *, when=None, **changes):
    evaluation = EvaluationFactory(
        therapist=therapist, patient=patient, date_of_service=when or timezone.localdate()
    )
    content = full_content(evaluation.date_of_service)
    for key, value in changes.items():
        section, field = key.split("__")
        content[section][field] = value
    save_sections(record=record_of(evaluation, therapist), by=therapist, contents=as_sections(content))
    return sign_evaluation(
        record=record_of(evaluation, therapist), by=therapist, password=PASSWORD
    ).evaluation


def reseal(evaluation, therapist):
    """Rows added behind the services' back break the seal; seal the content as it now stands."""
    from evaluations.models import Evaluation
    from evaluations.seal import content_digest

    loaded = record_of(evaluation, therapist)
    Evaluation.objects.filter(pk=evaluation.pk).update(content_sha256=content_digest(loaded))


def pdf_text(response) -> str:
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_signed_report_pdf_has_the_patient_every_section_a_score_and_the_signature(
    page_client, therapist, patient
):
    evaluation = signed(therapist, patient)
    add_addendum(evaluation=evaluation, by=therapist, text="Late entry: uses a reacher.")

    text = pdf_text(page_client(therapist).get(f"/evaluations/{evaluation.public_id}/report.pdf"))

    assert "Kowalski, Joan" in text and patient.mrn in text
    for section in SECTIONS:
        assert f"{section.number}. {section.title}" in text, section.title
    assert "z = +0.64" in text  # right grip against women 75+
    assert "Mathiowetz" in text  # the norm's source is named
    assert "Electronically signed" in text and "Late entry: uses a reacher." in text
    assert "DRAFT" not in text
    assert "97165" in text


def test_a_drafts_pdf_is_watermarked(page_client, therapist, patient):
    draft = EvaluationFactory(therapist=therapist, patient=patient)
    text = pdf_text(page_client(therapist).get(f"/evaluations/{draft.public_id}/report.pdf"))
    assert "DRAFT" in text


def test_producing_the_pdf_is_an_audited_export(page_client, clinic_admin, therapist, patient):
    evaluation = signed(therapist, patient)
    page_client(clinic_admin).get(f"/evaluations/{evaluation.public_id}/report.pdf")
    event = AuditEvent.objects.get(action="export")
    assert (event.actor, event.channel, event.patient_public_id) == (clinic_admin, "page", patient.public_id)


@pytest.mark.parametrize(
    ("role", "status"), [("front_desk", 403), ("nobody", 403), ("clinic_admin", 200), ("therapist", 200)]
)
def test_report_permissions(client, users, therapist, patient, role, status):
    evaluation = signed(therapist, patient)
    client.force_login(users[role])
    assert client.get(f"/evaluations/{evaluation.public_id}/report.pdf").status_code == status
    assert client.get(f"/evaluations/{evaluation.public_id}/report/").status_code == status
    assert AuditEvent.objects.filter(action="export").count() == (1 if status == 200 else 0)


def test_anonymous_is_sent_to_log_in(client, therapist, patient):
    evaluation = signed(therapist, patient)
    assert client.get(f"/evaluations/{evaluation.public_id}/report.pdf").status_code == 302


def test_report_query_count_does_not_grow_with_rows(
    page_client, therapist, patient, django_assert_num_queries
):
    evaluation = signed(therapist, patient)
    client = page_client(therapist)
    with django_assert_num_queries(
        38 + AUDIT_EVENT
    ):  # the trends read each evaluation's screens and scales too
        client.get(f"/evaluations/{evaluation.public_id}/report/")
    RangeOfMotionMeasurement.objects.bulk_create(
        [
            RangeOfMotionMeasurement(
                evaluation=evaluation,
                joint_motion=JointMotion.objects.get(code="knee_flexion"),
                side="left",
                degrees=d,
            )
            for d in range(10, 110, 10)
        ]
    )
    reseal(evaluation, therapist)  # as if signed with the ten rows, so the seal still holds
    with django_assert_num_queries(38 + AUDIT_EVENT):
        response = client.get(f"/evaluations/{evaluation.public_id}/report/")
    assert response.content.decode().count("Knee flexion") == 10


def test_a_re_evaluation_shows_change_against_its_baseline(page_client, therapist, patient):
    baseline = signed(therapist, patient, when=timezone.localdate() - timedelta(weeks=6))
    follow_up = start_evaluation(
        by=therapist,
        patient=patient,
        kind="re_evaluation",
        date_of_service=timezone.localdate(),
        previous_evaluation=baseline,
    )
    content = full_content(follow_up.date_of_service)
    content["muscle_imbalance"]["pain_points"][0]["intensity"] = 3  # 6 -> 3
    content["adl_checklist"]["ratings"][0]["assist_level"] = (
        "modified_independent"  # dressing: min assist -> mod I
    )
    content["neuromuscular_function"]["tests"][0]["value"] = "11.00"  # TUG 14.2 -> 11.0 s
    for problem in content["profile"]["copm"]:  # performance 2.0 -> 5.0: a clinically important change
        problem["performance"] += 3
    save_sections(record=record_of(follow_up, therapist), by=therapist, contents=as_sections(content))

    result = record_of(follow_up, therapist, baseline=True).progress

    changes = {change.measure: change for change in result.measures}
    # A fall of 3 NRS points reaches the 2-point clinically important change; the percent is shown too.
    assert changes["Pain, hip (right)"].change == "-3 (-50%)"
    assert changes["Pain, hip (right)"].meaning == "improved"
    assert "instruments.md §9" in changes["Pain, hip (right)"].threshold
    # Levels of assistance have no published measurement error: the change is shown, not interpreted.
    assert (
        changes["Getting dressed"].before,
        changes["Getting dressed"].now,
        changes["Getting dressed"].change,
        changes["Getting dressed"].meaning,
    ) == (
        "Minimal assist",
        "Modified independent",
        "+3 levels",
        "not interpreted: no published measurement error",
    )
    # 3.2 s is beyond the same-therapist TUG error (1.1 s).
    assert changes["Timed Up and Go"].change == "-3.2 s" and changes["Timed Up and Go"].meaning == "improved"
    assert changes["Strength, hip abductors (right)"].meaning == "unchanged"
    assert (
        changes["COPM performance"].change == "+3"
        and changes["COPM performance"].meaning == "clinically important change (≥ 2 points)"
    )
    statuses = {goal.description[:20]: goal.status for goal in result.goals}
    # The therapist has not judged the goal yet: the ratings' suggestion is shown, not decided.
    assert statuses["Dons socks with a so"] == (
        "not yet judged; suggested met: activity now modified independent (target: without a helper)"
    )

    page = page_client(therapist).get(f"/evaluations/{follow_up.public_id}/").content.decode()
    assert "Progress since the initial evaluation" in page and "clinically important change" in page


def test_trends_and_body_map_are_drawn_server_side_with_flat_queries(
    page_client, therapist, patient, django_assert_num_queries
):
    client = page_client(therapist)
    for weeks in (8, 4):
        signed(therapist, patient, when=timezone.localdate() - timedelta(weeks=weeks))
    # 16 for the chart and its evaluations (their rows for the trends), 2 for the episodes panel
    # (the patient's episodes, and signed initial evaluations that could open one).
    with django_assert_num_queries(18 + 2 * AUDIT_EVENT):
        chart = client.get(f"/patients/{patient.public_id}/").content.decode()
    assert "<svg" in chart and 'aria-label="Highest pain (0-10)' in chart
    # Each trend says what its change means and what judged it: the pain is 6 both times.
    assert "+0 — unchanged" in chart
    assert "≥ 2 points clinically important change" in chart
    for weeks in (3, 2, 1):
        signed(therapist, patient, when=timezone.localdate() - timedelta(weeks=weeks))
    with django_assert_num_queries(18 + 2 * AUDIT_EVENT):
        client.get(f"/patients/{patient.public_id}/")

    latest = signed(therapist, patient)
    report = client.get(f"/evaluations/{latest.public_id}/report/").content.decode()
    assert 'aria-label="Body map: Hip right 6/10"' in report
    assert "Trends across signed evaluations" in report
    text = pdf_text(client.get(f"/evaluations/{latest.public_id}/report.pdf"))
    assert "Trends across signed evaluations" in text and "Highest pain" in text


def test_labels_with_quotes_cannot_break_out_of_the_svg(page_client, therapist, patient):
    from occupations.models import PainRegion

    PainRegion.objects.filter(code="hip").update(label='Hip" onload="alert(1)')
    evaluation = signed(therapist, patient)
    page = page_client(therapist).get(f"/evaluations/{evaluation.public_id}/").content.decode()
    assert 'onload="alert(1)' not in page
    assert "Hip&quot; onload=&quot;alert(1)" in page


def test_pdf_footer_prints_names_with_apostrophes(page_client, therapist, front_desk):
    from tests.factories import PatientFactory

    patient = PatientFactory(given_name="Frank", family_name="O'Brien-Smith", registered_by=front_desk)
    evaluation = EvaluationFactory(therapist=therapist, patient=patient)
    text = pdf_text(page_client(therapist).get(f"/evaluations/{evaluation.public_id}/report.pdf"))
    assert "O'Brien-Smith, Frank · MRN" in text
    assert "u0027" not in text


def test_grip_cells_show_the_norm_mean_sd_conversion_and_trial_rule(page_client, therapist, patient):
    evaluation = signed(therapist, patient)
    page = page_client(therapist).get(f"/evaluations/{evaluation.public_id}/").content.decode()
    assert "vs women 75+, right hand: 19.32 (4.99) kg" in page
    assert "published in pounds: 42.6 (11.0) lb" in page
    assert "mean of trials" in page


def test_a_re_evaluation_page_reads_its_baseline_in_the_same_queries(
    page_client, therapist, patient, django_assert_num_queries
):
    baseline = signed(therapist, patient, when=timezone.localdate() - timedelta(weeks=6))
    follow_up = start_evaluation(
        by=therapist,
        patient=patient,
        kind="re_evaluation",
        date_of_service=timezone.localdate(),
        previous_evaluation=baseline,
    )
    content = full_content(follow_up.date_of_service)
    content["muscle_imbalance"]["pain_points"][0]["intensity"] = 3
    save_sections(record=record_of(follow_up, therapist), by=therapist, contents=as_sections(content))
    client = page_client(therapist)
    # The same count as an initial evaluation's page (test_views): each row table is read once for
    # both evaluations. Before the read model the baseline cost a second full read (23 queries).
    with django_assert_num_queries(31 + AUDIT_EVENT):
        page = client.get(f"/evaluations/{follow_up.public_id}/").content.decode()
    assert "Progress since the initial evaluation" in page and "Measurement error (source)" in page


def test_trends_scores_and_findings_follow_the_grip_setting(settings, therapist, patient):
    """Grip trials 22.5, 23.0, 22.0 (right): the mean is 22.5 kg, the best 23.0 kg."""
    from evaluations.interpretation.trends import trend_series
    from evaluations.selectors import patient_history

    for weeks in (8, 4):
        latest = signed(therapist, patient, when=timezone.localdate() - timedelta(weeks=weeks))
    history = patient_history(viewer=therapist, patient=patient)
    for setting, right in (("mean", 22.5), ("best", 23.0)):
        settings.GRIP_SCORE = setting
        series = {one.label: one for one in trend_series(history)}
        assert [value for _when, value in series["Grip, right"].points] == [right, right]
        record = record_of(latest, therapist)
        row = next(row for row in record.grip if row.hand == "right")
        assert record.scores[("grip", row.pk)].value == right


def test_the_first_page_is_the_physicians_summary_and_the_details_follow(page_client, therapist, patient):
    evaluation = signed(therapist, patient)
    response = page_client(therapist).get(f"/evaluations/{evaluation.public_id}/report.pdf")
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages]

    first = " ".join(pages[0].split())  # the PDF's text comes back broken into lines
    assert "Summary for the referring physician" in first
    assert (
        "I certify the need for these services furnished under this plan of treatment while under my care."
        in first
    )
    assert "Key findings" in first and "Strength below normal" in first  # findings with their grades
    assert "Needs help with: Getting dressed: minimal assist" in first
    assert "Dons socks with a sock aid" in first  # a goal
    assert f"{evaluation.sessions_per_week} sessions a week for {evaluation.duration_weeks} weeks" in first
    assert "Physician signature" in first and "electronically signed" in first
    assert "1. Personal history" not in first  # the detailed sections start on page 2
    assert "1. Personal history and occupational profile" in "\n".join(pages[1:])
    # No near-empty page: every page but the last carries a real share of text.
    assert all(len(text) > 500 for text in pages[:-1]), [len(text) for text in pages]


def test_a_re_evaluations_summary_lists_the_meaningful_changes_and_the_goals_status(
    page_client, therapist, patient
):
    from evaluations.choices import EvaluationKind
    from evaluations.presentation.pages import physician_summary

    baseline = signed(therapist, patient, when=timezone.localdate() - timedelta(weeks=6))
    follow_up = start_evaluation(
        by=therapist,
        patient=patient,
        kind=EvaluationKind.RE_EVALUATION,
        date_of_service=timezone.localdate(),
        previous_evaluation=baseline,
    )
    content = full_content(follow_up.date_of_service)
    content["neuromuscular_function"]["tests"][0]["value"] = "10.00"  # TUG 14.2 s -> 10.0 s
    for number, goal in enumerate(content["assessment_and_plan"]["goals"], start=1):
        goal |= {"baseline_goal": number, "status": "met" if number == 1 else "continued"}
    save_sections(record=record_of(follow_up, therapist), by=therapist, contents=as_sections(content))
    from evaluations.selectors import fetch_record

    record = fetch_record(viewer=therapist, public_id=follow_up.public_id, baseline=True)
    summary = physician_summary(record)
    changes = {change.measure: change.meaning for change in summary["findings"].changes}
    assert changes == {"Timed Up and Go": "improved"}  # unchanged measures stay in the details
    assert [goal.status for goal in summary["goals"]] == ["met", "continued"]
    weeks = record.evaluation.duration_weeks
    assert summary["certified_until"] == follow_up.date_of_service + timedelta(weeks=weeks, days=-1)
    page = page_client(therapist).get(f"/evaluations/{follow_up.public_id}/report/").content.decode()
    assert (
        "Change since the initial evaluation of" in page
        and "Timed Up and Go: 14.2 s → 10 s, improved" in page
    )


def test_grades_show_their_kendall_and_mrc_equivalents(page_client, therapist, patient):
    evaluation = signed(therapist, patient)  # right hip abductors 3+, left 4+
    page = page_client(therapist).get(f"/evaluations/{evaluation.public_id}/").content.decode()
    assert "3+ — Fair plus (Kendall 6/10; no MRC grade)" in page
    assert "4+ — Good plus (Kendall 9/10; no MRC grade)" in page


def test_the_clinics_pain_band_scheme_reads_and_names_every_rating(page_client, therapist, patient, settings):
    settings.PAIN_BANDS = "boonstra_2016"
    evaluation = signed(therapist, patient)  # hip pain 6/10: moderate by Boonstra's 6-7 as by CPA's 4-6
    page = page_client(therapist).get(f"/evaluations/{evaluation.public_id}/").content.decode()
    assert "moderate; bands of Boonstra 2016 (chronic musculoskeletal)" in page


def test_each_trend_is_judged_against_its_measures_threshold():
    from evaluations.instruments import measurement_error
    from evaluations.interpretation.trends import Series

    pain = Series(
        "Highest pain", "0-10", [("01/05/26", 6), ("02/16/26", 3)], True, measurement_error.PAIN_NRS
    )
    assert pain.verdict == "01/05/26 to 02/16/26: -3 — improved"  # 3 ≥ 2 points, lower is better
    assert pain.basis.startswith("≥ 2 points clinically important change")
    tug = Series("Timed Up and Go", "s", [("a", 14.2), ("b", 13.2)], True, measurement_error.TUG_DIFFERENT)
    assert (
        tug.verdict == "a to b: -1 — no meaningful change: within measurement error (product default 2.1 s)"
    )
    barthel = Series(
        "Barthel Index", "0-100", [("a", 65), ("b", 90)], False, measurement_error.scale("barthel_index")
    )
    assert barthel.verdict == "a to b: +25 — improved"  # 25 ≥ the individual MDC95 of 20
    adl = Series(
        "ADLs done independently", "count", [("a", 2), ("b", 4)], False, measurement_error.ASSIST_LEVEL
    )
    assert adl.verdict == "a to b: +2 — not interpreted: no published measurement error"
