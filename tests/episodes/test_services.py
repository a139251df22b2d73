"""Opening an episode, visits, certification by link, on paper and its state changes."""

import io
import re

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone

from audit.models import AuditEvent
from common.exceptions import Conflict
from episodes.choices import Attendance, CertificationState, SendingMethod
from episodes.clock import DueKind
from episodes.models import Certification, Episode, Sending
from episodes.selectors import clock_of, get_episode
from episodes.services import (
    DuplicateVisit,
    LinkRefused,
    answer_by_link,
    find_link,
    open_episode,
    record_paper_certification,
    record_visit,
    send_for_certification,
    void_visit,
)
from tests.episodes.conftest import NPI, run_jobs

pytestmark = pytest.mark.django_db


# The worker commits and checks its connection as in production: these tests commit for real.
def committed(test):
    return pytest.mark.usefixtures("live_db")(pytest.mark.django_db(transaction=True)(test))


def days_ago(n):
    return timezone.localdate() - timezone.timedelta(days=n)


def test_an_episode_opens_from_a_signed_initial_evaluation_with_its_plan_and_a_certification_to_send(
    episode, evaluation
):
    assert (episode.plan_start_on, episode.sessions_per_week) == (evaluation.date_of_service, 2)
    assert episode.plan_end_on == evaluation.date_of_service + timezone.timedelta(
        weeks=episode.duration_weeks, days=-1
    )
    (certification,) = episode.certifications.all()
    assert (certification.state, certification.period_start) == ("not_sent", evaluation.date_of_service)
    assert certification.period_end == min(
        episode.plan_end_on, evaluation.date_of_service + timezone.timedelta(days=89)
    )
    assert AuditEvent.objects.filter(action="create", record_id=episode.public_id).exists()


def test_a_draft_or_a_second_episode_is_refused(therapist, patient, evaluation, episode):
    with pytest.raises(Conflict):
        open_episode(by=therapist, evaluation=evaluation, referring_physician_name="Dr. B")
    from tests.factories import EvaluationFactory

    draft = EvaluationFactory(therapist=therapist, patient=patient)
    with pytest.raises(ValidationError) as refused:
        open_episode(by=therapist, evaluation=draft, referring_physician_name="Dr. B")
    assert "signed initial evaluation" in str(refused.value)
    assert Episode.objects.count() == 1


def test_the_front_desk_cannot_open_an_episode(front_desk, evaluation):
    with pytest.raises(PermissionDenied):
        open_episode(by=front_desk, evaluation=evaluation, referring_physician_name="Dr. B")


def test_visits_count_attended_days_once_and_voided_visits_leave_the_count(front_desk, therapist, episode):
    for n, attendance in (
        (18, Attendance.ATTENDED),
        (16, Attendance.CANCELLED),
        (14, Attendance.NO_SHOW),
        (12, Attendance.ATTENDED),
    ):
        record_visit(
            by=front_desk, episode=episode, visit_on=days_ago(n), clinician=therapist, attendance=attendance
        )
    report = next(
        i
        for i in clock_of(get_episode(viewer=therapist, public_id=episode.public_id)).items
        if i.kind == DueKind.PROGRESS_REPORT
    )
    assert "3 of 10" in report.detail  # the evaluation and two attended days
    with pytest.raises(DuplicateVisit) as twice:
        record_visit(by=front_desk, episode=episode, visit_on=days_ago(12), clinician=therapist)
    assert "already has a visit" in str(twice.value)
    with pytest.raises(ValidationError):
        record_visit(
            by=front_desk,
            episode=episode,
            visit_on=timezone.localdate() + timezone.timedelta(days=1),
            clinician=therapist,
        )
    with pytest.raises(ValidationError):
        record_visit(by=front_desk, episode=episode, visit_on=days_ago(30), clinician=therapist)
    with pytest.raises(ValidationError):  # only therapists (and assistants, students) treat
        record_visit(by=front_desk, episode=episode, visit_on=days_ago(10), clinician=front_desk)
    visit = episode.visits.get(visit_on=days_ago(12))
    void_visit(by=front_desk, visit=visit, reason="Entered on the wrong patient")
    report = next(
        i
        for i in clock_of(get_episode(viewer=therapist, public_id=episode.public_id)).items
        if i.kind == DueKind.PROGRESS_REPORT
    )
    assert "2 of 10" in report.detail
    assert episode.visits.count() == 4  # kept, voided


def link_in_outbox() -> str:
    (message,) = mail.outbox
    return re.search(r"/sign/(\S+)", message.body).group(1)


def send(therapist, episode):
    """Send by link as the page does: the job is queued when the sending commits, and the worker runs it."""
    certification = episode.certifications.get()
    send_for_certification(
        by=therapist,
        certification=certification,
        method=SendingMethod.EMAIL_LINK,
        recipient="osler@example.org",
    )
    run_jobs()
    return certification


@committed
def test_a_plan_sent_by_link_is_emailed_by_the_worker_without_patient_information(therapist, episode):
    certification = send(therapist, episode)
    token = link_in_outbox()
    (message,) = mail.outbox
    assert (
        episode.patient.family_name not in message.body and episode.patient.family_name not in message.subject
    )
    sending = Sending.objects.get()
    assert sending.token_sha256 and token not in sending.token_sha256 and sending.delivered_at
    from django_tasks_db.models import DBTaskResult

    assert token not in str(list(DBTaskResult.objects.values_list("args_kwargs", flat=True)))
    certification.refresh_from_db()
    assert certification.state == CertificationState.SENT
    assert AuditEvent.objects.filter(action="send", record_id=certification.public_id).exists()
    run_jobs()  # a second run sends nothing more
    assert len(mail.outbox) == 1


@committed
def test_the_physician_signs_once_and_the_link_is_spent(therapist, episode):
    certification = send(therapist, episode)
    token = link_in_outbox()
    with pytest.raises(ValidationError) as unattested:
        answer_by_link(token=token, physician_name="Ada Osler", physician_npi=NPI, certifies=True)
    assert "attested" in unattested.value.message_dict
    answer_by_link(token=token, physician_name="Ada Osler", physician_npi=NPI, certifies=True, attested=True)
    certification.refresh_from_db()
    assert (certification.state, certification.certified_by, certification.signed_on) == (
        "certified",
        "link",
        timezone.localdate(),
    )
    with pytest.raises(LinkRefused, match="used"):
        answer_by_link(
            token=token, physician_name="Ada Osler", physician_npi=NPI, certifies=True, attested=True
        )
    event = AuditEvent.objects.get(action="certify")
    assert event.actor is None and "Ada Osler" in event.actor_username
    clock = clock_of(get_episode(viewer=therapist, public_id=episode.public_id))
    assert DueKind.CERTIFICATION not in {i.kind for i in clock.items}


@committed
def test_changes_requested_need_a_comment(therapist, episode):
    certification = send(therapist, episode)
    token = link_in_outbox()
    with pytest.raises(ValidationError):
        answer_by_link(token=token, physician_name="Ada Osler", physician_npi=NPI, certifies=False)
    answer_by_link(
        token=token, physician_name="Ada Osler", physician_npi=NPI, certifies=False, changes="3x/week."
    )
    certification.refresh_from_db()
    assert (certification.state, certification.changes_requested) == ("changes_requested", "3x/week.")


@committed
def test_wrong_expired_and_replaced_links_are_refused(therapist, episode):
    send(therapist, episode)
    first = link_in_outbox()
    with pytest.raises(LinkRefused, match="unknown"):
        find_link(first[:-1] + ("A" if first[-1] != "A" else "B"))
    mail.outbox.clear()
    send(therapist, episode)  # a new link replaces the first
    second = link_in_outbox()
    with pytest.raises(LinkRefused, match="used"):
        find_link(first)
    Sending.objects.filter(token_sha256__isnull=False, revoked_at__isnull=True).update(
        expires_at=timezone.now() - timezone.timedelta(seconds=1)
    )
    with pytest.raises(LinkRefused, match="expired"):
        find_link(second)


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_a_paper_certification_is_kept_with_its_hash_and_checked_by_content(therapist, episode, settings):
    certification = episode.certifications.get()
    common = {
        "by": therapist,
        "certification": certification,
        "physician_name": "Dr. Ada Osler",
        "signed_on": days_ago(2),
    }
    with pytest.raises(ValidationError) as wrong:
        record_paper_certification(document=io.BytesIO(b"MZ\x90\x00 not a pdf"), **common)
    assert "PDF, PNG or JPEG" in str(wrong.value)
    settings.UPLOAD_MAX_BYTES = 64
    with pytest.raises(ValidationError) as big:
        record_paper_certification(document=io.BytesIO(PDF + b"x" * 100), **common)
    assert "larger than" in str(big.value)
    certification.refresh_from_db()
    assert certification.state == "not_sent" and not certification.document
    settings.UPLOAD_MAX_BYTES = 10 * 2**20
    settings.MEDIA_ROOT = str(settings.BASE_DIR / "test-artifacts" / "media")
    record_paper_certification(document=io.BytesIO(PDF), **common)
    certification = Certification.objects.get()
    import hashlib

    assert certification.document_sha256 == hashlib.sha256(PDF).hexdigest()
    assert (certification.state, certification.certified_by, certification.document_type) == (
        "certified",
        "paper",
        "application/pdf",
    )
    with pytest.raises(Conflict):
        record_paper_certification(document=io.BytesIO(PDF), **common)


@committed
def test_a_plan_whose_links_all_expired_shows_as_expired_until_sent_again(therapist, episode, api_client):
    send(therapist, episode)
    Sending.objects.update(expires_at=timezone.now() - timezone.timedelta(minutes=1))
    certification = Certification.objects.prefetch_related("sendings").get()
    assert (certification.state, certification.shown_state) == ("sent", "expired")
    body = api_client(therapist).get(f"/api/v1/certifications/{certification.public_id}/").json()
    assert body["state"] == "expired"
    clock = clock_of(get_episode(viewer=therapist, public_id=episode.public_id))
    assert clock.waiting is None  # no longer counted as waiting on the physician
    send(therapist, episode)
    assert Certification.objects.prefetch_related("sendings").get().shown_state == "sent"


@committed
def test_an_email_that_cannot_leave_is_retried_later_and_shown(therapist, episode, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = (
        "127.0.0.1",
        9,
        2,
    )  # nothing listens there
    from django_tasks_db.models import DBTaskResult

    send(therapist, episode)
    sending = Sending.objects.get()
    assert (sending.delivered_at, sending.token_sha256, sending.attempts) == (None, None, 1)
    assert "ConnectionRefusedError" in sending.last_error
    failed = DBTaskResult.objects.get(status="FAILED")
    assert "ConnectionRefusedError" in failed.exception_class_path
    retry = DBTaskResult.objects.get(status="READY")
    assert retry.run_after > timezone.now()  # after a pause, by the worker
    page = Client()
    page.force_login(therapist)
    assert (
        "not delivered yet (1 attempt: ConnectionRefusedError"
        in page.get(f"/episodes/{episode.public_id}/").content.decode()
    )
