"""A progress report (a kind of evaluation compared with its baseline, as a re-evaluation is)
starts the 10-day count again; a later plan is recertified; a discharge closes the clock."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from episodes.choices import EpisodeStatus
from episodes.clock import DueKind
from episodes.selectors import clock_of, follow_ups, get_episode
from episodes.services import discharge_episode, record_visit, start_recertification
from evaluations.choices import EvaluationKind
from evaluations.services import save_sections, sign_evaluation, start_evaluation
from tests.conftest import PASSWORD
from tests.evaluations.content import as_sections, full_content
from tests.evaluations.records import record_of

pytestmark = pytest.mark.django_db


def days_ago(n):
    return timezone.localdate() - timezone.timedelta(days=n)


def follow_up(therapist, baseline, kind, when, *, code="", change=""):
    """A signed follow-up of `baseline`: the sample content, each baseline goal judged."""
    draft = start_evaluation(
        by=therapist, patient=baseline.patient, kind=kind, date_of_service=when, previous_evaluation=baseline
    )
    content = full_content(when, cpt_code=code, documented_change=change)
    for number, goal in enumerate(content["assessment_and_plan"]["goals"], start=1):
        goal |= {"baseline_goal": number, "status": "continued"}
    save_sections(record=record_of(draft, therapist), by=therapist, contents=as_sections(content))
    return sign_evaluation(record=record_of(draft, therapist), by=therapist, password=PASSWORD).evaluation


def progress(therapist, episode):
    clock = clock_of(get_episode(viewer=therapist, public_id=episode.public_id))
    return next(item for item in clock.items if item.kind == DueKind.PROGRESS_REPORT)


def test_a_progress_report_needs_a_baseline_and_no_cpt_code(therapist, evaluation):
    with pytest.raises(ValidationError) as refused:
        start_evaluation(
            by=therapist,
            patient=evaluation.patient,
            kind=EvaluationKind.PROGRESS_REPORT,
            date_of_service=days_ago(1),
        )
    assert "compared with an earlier signed evaluation" in str(refused.value)
    draft = start_evaluation(
        by=therapist,
        patient=evaluation.patient,
        kind=EvaluationKind.PROGRESS_REPORT,
        date_of_service=days_ago(1),
        previous_evaluation=evaluation,
    )
    content = full_content(draft.date_of_service, cpt_code="97168", documented_change="Better.")
    for number, goal in enumerate(content["assessment_and_plan"]["goals"], start=1):
        goal |= {"baseline_goal": number, "status": "continued"}
    save_sections(record=record_of(draft, therapist), by=therapist, contents=as_sections(content))
    with pytest.raises(ValidationError) as unsigned:
        sign_evaluation(record=record_of(draft, therapist), by=therapist, password=PASSWORD)
    assert "No CPT code (a progress report" in str(unsigned.value)


def test_signing_a_progress_report_starts_the_count_again(therapist, front_desk, evaluation, episode):
    for n in (18, 16, 14, 12, 10, 8, 6, 4, 3):
        record_visit(by=front_desk, episode=episode, visit_on=days_ago(n), clinician=therapist)
    due = progress(therapist, episode)
    assert due.due_on == days_ago(3)  # the evaluation and nine visits: the 10th treatment day
    follow_up(therapist, evaluation, EvaluationKind.PROGRESS_REPORT, days_ago(3))
    record_visit(by=front_desk, episode=episode, visit_on=days_ago(1), clinician=therapist)
    due = progress(therapist, episode)
    assert due.due_on is None and "1 of 10 since the progress report of" in due.detail


def test_a_later_plan_is_recertified_and_a_discharge_closes_the_clock(therapist, evaluation, episode):
    report = follow_up(therapist, evaluation, EvaluationKind.PROGRESS_REPORT, days_ago(5))
    recertifiable, discharges = follow_ups(get_episode(viewer=therapist, public_id=episode.public_id))
    assert recertifiable == [report] and discharges == []
    certification = start_recertification(by=therapist, episode=episode, evaluation=report)
    assert (certification.kind, certification.period_start, certification.state) == (
        "recertification",
        report.date_of_service,
        "not_sent",
    )
    episode.refresh_from_db()
    assert (episode.started_on, episode.plan_start_on) == (evaluation.date_of_service, report.date_of_service)

    discharge = follow_up(therapist, report, EvaluationKind.DISCHARGE, days_ago(1))
    with pytest.raises(ValidationError):
        discharge_episode(by=therapist, episode=episode, evaluation=report)
    discharge_episode(by=therapist, episode=episode, evaluation=discharge)
    episode.refresh_from_db()
    assert (episode.status, episode.discharged_on) == (EpisodeStatus.DISCHARGED, discharge.date_of_service)
    assert clock_of(get_episode(viewer=therapist, public_id=episode.public_id)).items == []


def test_the_episode_page_offers_and_does_the_recertification_and_the_discharge(
    page_client, therapist, evaluation, episode
):
    report = follow_up(therapist, evaluation, EvaluationKind.PROGRESS_REPORT, days_ago(5))
    client = page_client(therapist)
    page = client.get(f"/episodes/{episode.public_id}/").content.decode()
    assert "Recertify with the plan of the progress report of" in page
    assert (
        client.post(
            f"/episodes/{episode.public_id}/recertification/", {"evaluation": str(report.public_id)}
        ).status_code
        == 302
    )
    assert episode.certifications.filter(kind="recertification", evaluation=report).exists()
    again = client.post(
        f"/episodes/{episode.public_id}/recertification/", {"evaluation": str(report.public_id)}, follow=True
    )
    assert "already put for certification" in again.content.decode()
    assert (
        client.post(f"/episodes/{episode.public_id}/discharge/", {"evaluation": "not-a-uuid"}).status_code
        == 404
    )
    discharge = follow_up(therapist, report, EvaluationKind.DISCHARGE, days_ago(1))
    done = client.post(
        f"/episodes/{episode.public_id}/discharge/", {"evaluation": str(discharge.public_id)}, follow=True
    )
    assert "Episode discharged" in done.content.decode()
    episode.refresh_from_db()
    assert episode.status == "discharged"
