"""The daily run of the episode clock: overdue items in the audit trail once a day, summaries by
email when the clinic opts in, and the job queuing itself for the next morning."""

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from audit.models import AuditEvent
from common.jobs import waiting_runs
from episodes.daily import SYSTEM_ACTOR, run_episode_clock
from episodes.tasks import daily_clock, schedule_daily_clock
from tests.episodes.conftest import run_jobs
from tests.episodes.test_services import committed
from tests.evaluations.test_report import signed

pytestmark = pytest.mark.django_db


@pytest.fixture
def overdue_episode(therapist, patient):
    from episodes.services import open_episode

    long_ago = signed(therapist, patient, when=timezone.localdate() - timezone.timedelta(days=40))
    return open_episode(by=therapist, evaluation=long_ago, referring_physician_name="Dr. Ada Osler")


def test_overdue_items_are_recorded_once_a_day_in_the_system_channel(overdue_episode, settings):
    settings.DAILY_SUMMARY_EMAILS = False
    first = run_episode_clock()
    assert first.recorded == 1 and first.emailed == 0  # the certification, 10 days late
    event = AuditEvent.objects.get(action="overdue")
    assert (event.actor, event.actor_username, event.channel) == (None, SYSTEM_ACTOR, "system")
    assert event.record_id == overdue_episode.public_id and "Initial certification" in event.record_label
    assert run_episode_clock().recorded == 0
    assert mail.outbox == []


def test_therapists_who_have_something_due_get_a_summary_without_patient_names(
    overdue_episode, therapist, settings
):
    settings.DAILY_SUMMARY_EMAILS = True
    therapist.email = "ot@example.org"
    therapist.save(update_fields=["email"])
    assert run_episode_clock().emailed == 1
    (message,) = mail.outbox
    assert message.to == ["ot@example.org"] and "OVERDUE: Initial certification" in message.body
    patient = overdue_episode.patient
    assert patient.family_name not in message.body and f"MRN {patient.mrn}" in message.body


def test_the_command_runs_the_clock(overdue_episode, capsys):
    call_command("episode_clock")
    assert "1 overdue item(s) recorded" in capsys.readouterr().out


@committed
def test_the_daily_job_runs_in_the_worker_and_queues_the_next_morning(overdue_episode):
    first = schedule_daily_clock()
    assert schedule_daily_clock() == first  # once only
    assert first > timezone.localtime() and first.hour == 6
    daily_clock.enqueue()  # as if the morning had come
    run_jobs()
    assert AuditEvent.objects.filter(action="overdue").count() == 1
    assert waiting_runs(daily_clock) == [first]  # the next morning's, queued once


def test_clinic_admins_see_the_background_jobs_in_the_admin(page_client, clinic_admin, overdue_episode):
    schedule_daily_clock()
    listed = page_client(clinic_admin).get("/admin/django_tasks_database/dbtaskresult/")
    assert listed.status_code == 200 and "daily_clock" in listed.content.decode()
