"""Background jobs of the episode app (Django's task framework, django-tasks backport).

Jobs are idempotent (a sending already delivered is not sent again) and retried with a growing
pause up to settings.TASK_ATTEMPTS; each failure stays on the task result (admin: Task results)
and on the sending (its attempts and last error, shown on the chart)."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django_tasks import task

from common.jobs import next_waiting_run
from episodes.models import Sending
from episodes.services import new_link_token


@task()
def email_signing_link(sending_pk: int) -> str:
    """Email the physician a plan of care's signing link. The message names the clinic and the
    link's expiry, not the patient: what it concerns is behind the link."""
    try:
        with transaction.atomic():
            sending = (
                Sending.objects.select_for_update()
                .select_related("certification__episode")
                .get(pk=sending_pk)
            )
            if (
                sending.delivered_at is not None
                or sending.revoked_at is not None
                or sending.used_at is not None
            ):
                return "nothing to send"
            token = new_link_token(sending)
            link = f"{settings.SITE_URL.rstrip('/')}/sign/{token}"
            context = {"sending": sending, "link": link, "clinic_name": settings.CLINIC_NAME}
            send_mail(
                subject=f"{settings.CLINIC_NAME}: a plan of care awaits your signature",
                message=render_to_string("episodes/email/signing_link.txt", context),
                from_email=None,
                recipient_list=[sending.recipient],
            )
            sending.delivered_at = timezone.now()
            sending.attempts += 1
            sending.save(update_fields=["token_sha256", "delivered_at", "attempts"])
            return "sent"
    except Exception as error:
        sending = Sending.objects.get(pk=sending_pk)
        sending.attempts += 1
        sending.last_error = f"{type(error).__name__}: {error}"[:300]
        sending.save(update_fields=["attempts", "last_error"])
        if sending.attempts < settings.TASK_ATTEMPTS:
            email_signing_link.using(
                run_after=timezone.now() + timedelta(minutes=2**sending.attempts)
            ).enqueue(sending_pk)
        raise


DAILY_HOUR = 6  # the clock runs at 06:00 in the clinic's time zone


def _next_morning():
    now = timezone.localtime()
    run = now.replace(hour=DAILY_HOUR, minute=0, second=0, microsecond=0)
    return run if run > now else run + timedelta(days=1)


def schedule_daily_clock():
    """Queue the daily run unless one is already waiting (idempotent: `make run` calls it at start)."""
    waiting = next_waiting_run(daily_clock)
    if waiting is not None:
        return timezone.localtime(waiting)
    when = _next_morning()
    daily_clock.using(run_after=when).enqueue()
    return when


@task()
def daily_clock() -> str:
    """The episode clock's daily run; queues the next one first, so a failure does not stop the
    chain, and never a second one (a run started by hand leaves the waiting one as it is)."""
    from episodes.daily import run_episode_clock

    schedule_daily_clock()  # the next run, unless one is already waiting
    run = run_episode_clock()
    return f"{run.recorded} overdue recorded, {run.emailed} emailed"
