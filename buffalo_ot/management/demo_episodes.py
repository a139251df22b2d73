"""Demo episodes of care: each demo patient's latest signed initial evaluation opens an episode,
with visits twice a week since, so the caseload and the chart show a working clock."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from accounts.models import User
from episodes.choices import Attendance
from episodes.models import Episode
from episodes.services import open_episode, record_visit
from evaluations.choices import EvaluationKind
from evaluations.models import Evaluation

VISIT_WEEKDAYS = (0, 3)  # Monday and Thursday
MISSED_EVERY = 7  # every 7th scheduled day is a cancellation


def seed_episodes(*, front_desk: User) -> int:
    opened = 0
    today = timezone.localdate()
    initial = (
        Evaluation.objects.signed()
        .filter(kind=EvaluationKind.INITIAL, episode__isnull=True, sessions_per_week__isnull=False)
        .exclude(patient__episodes__status="open")
        .select_related("patient", "therapist")
        .order_by("patient_id", "-date_of_service")
    )
    seen: set[int] = set()
    for evaluation in initial:
        if evaluation.patient_id in seen or not evaluation.duration_weeks:
            continue
        seen.add(evaluation.patient_id)
        if Episode.objects.filter(patient=evaluation.patient, status="open").exists():
            continue
        episode = open_episode(
            by=evaluation.therapist,
            evaluation=evaluation,
            referring_physician_name=evaluation.patient.referring_physician_name or "Dr. Sarah Whitfield",
            referring_physician_email="referrals@example.org",
        )
        day, scheduled = evaluation.date_of_service + timedelta(days=1), 0
        last = min(today - timedelta(days=1), episode.plan_end_on)
        while day <= last:
            if day.weekday() in VISIT_WEEKDAYS:
                scheduled += 1
                record_visit(
                    by=front_desk,
                    episode=episode,
                    visit_on=day,
                    clinician=evaluation.therapist,
                    attendance=Attendance.CANCELLED if scheduled % MISSED_EVERY == 0 else Attendance.ATTENDED,
                    timed_minutes=None if scheduled % MISSED_EVERY == 0 else 45,
                )
            day += timedelta(days=1)
        opened += 1
    return opened
