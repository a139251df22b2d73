"""Writing audit events. Call inside the transaction of the change being recorded."""

from collections.abc import Iterable

from django.db import models

from audit.context import current_access
from audit.models import AuditEvent


def record_event(
    *,
    actor,
    action: str,
    record: models.Model | None = None,
    patient_public_id=None,
    changed_fields: Iterable[str] = (),
    actor_username: str = "",
    record_label: str = "",
) -> AuditEvent:
    access = current_access()
    if record is not None and patient_public_id is None:
        patient_public_id = getattr(record, "audit_patient_public_id", None)
    event = AuditEvent(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        actor_username=actor_username or getattr(actor, "username", "") or "",
        action=action,
        channel=access.channel,
        ip_address=access.ip_address,
        record_type=record._meta.label_lower if record is not None else "",
        record_id=getattr(record, "public_id", None),
        record_label=(str(record) if record is not None else record_label)[:200],
        patient_public_id=patient_public_id,
        changed_fields=sorted(changed_fields),
    )
    event.save()
    return event
