"""Reads of the audit trail."""

from datetime import date, datetime, time, timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from audit.models import AuditEvent


def list_patient_events(
    *, patient_public_id, since: date | None = None, until: date | None = None, action: str = ""
) -> QuerySet[AuditEvent]:
    """Who has seen or changed this patient's information: events about the patient's records
    and list reads that showed the patient, newest first. `since` and `until` are days in the
    clinic's time zone, both included."""
    events = AuditEvent.objects.select_related("actor").filter(
        Q(patient_public_id=patient_public_id) | Q(listed_patient_ids__icontains=str(patient_public_id))
    )
    if since is not None:
        events = events.filter(occurred_at__gte=timezone.make_aware(datetime.combine(since, time.min)))
    if until is not None:
        next_day = timezone.make_aware(datetime.combine(until + timedelta(days=1), time.min))
        events = events.filter(occurred_at__lt=next_day)
    if action:
        events = events.filter(action=action)
    return events.order_by("-occurred_at", "-id")
