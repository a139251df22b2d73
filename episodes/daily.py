"""The daily run of the episode clock: what became overdue goes into the audit trail's system
channel (once per item and day), and, where the clinic opts in, each therapist gets a summary.

Run by `manage.py episode_clock` (cron) or by the task worker (episodes.tasks.daily_clock, which
queues itself for the next morning)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, time

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import timezone

from accounts.models import User
from audit.choices import Action
from audit.models import AuditEvent
from audit.services import record_event
from episodes.clock import DueState
from episodes.selectors import CaseloadRow, open_work

SYSTEM_ACTOR = "system: episode clock"


@dataclass(frozen=True)
class DailyRun:
    recorded: int  # overdue items newly written to the audit trail
    emailed: int  # therapists sent a summary


def run_episode_clock() -> DailyRun:
    today = timezone.localdate()
    rows, _waiting, _drafts = open_work(therapist=None)  # every therapist's open episodes
    overdue = [row for row in rows if row.state == DueState.OVERDUE]
    start_of_day = timezone.make_aware(datetime.combine(today, time.min))
    already = set(
        AuditEvent.objects.filter(action=Action.OVERDUE, occurred_at__gte=start_of_day).values_list(
            "record_id", "record_label"
        )
    )
    recorded = 0
    for row in overdue:
        label = _label(row)
        if (row.clock.episode.public_id, label) in already:
            continue
        record_event(
            actor=None,
            actor_username=SYSTEM_ACTOR,
            action=Action.OVERDUE,
            record=row.clock.episode,
            record_label=label,
        )
        recorded += 1
    emailed = _email_summaries(rows) if settings.DAILY_SUMMARY_EMAILS else 0
    return DailyRun(recorded, emailed)


def _label(row: CaseloadRow) -> str:
    return f"{row.item.label}, due {row.item.due_on:%m/%d/%Y}" if row.item.due_on else row.item.label


def _email_summaries(rows: list[CaseloadRow]) -> int:
    """One message per therapist with something overdue or due soon; patients named by initials
    and MRN only (email is not the place for health information)."""
    by_therapist: dict[User, list[CaseloadRow]] = defaultdict(list)
    for row in rows:
        if row.state in (DueState.OVERDUE, DueState.DUE_SOON):
            by_therapist[row.clock.episode.therapist].append(row)
    sent = 0
    for therapist, mine in by_therapist.items():
        if not therapist.email or not therapist.is_active:
            continue
        body = render_to_string(
            "episodes/email/daily_summary.txt",
            {
                "therapist": therapist,
                "rows": mine,
                "clinic_name": settings.CLINIC_NAME,
                "site_url": settings.SITE_URL,
            },
        )
        send_mail(
            subject=f"{settings.CLINIC_NAME}: {len(mine)} item{'s' if len(mine) != 1 else ''} due on your caseload",
            message=body,
            from_email=None,
            recipient_list=[therapist.email],
        )
        sent += 1
    return sent
