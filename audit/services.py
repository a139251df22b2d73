"""Writing audit events. Call inside the transaction of the change being recorded."""

import uuid
from collections.abc import Iterable

from django.db import connection, models, transaction

from audit.chain import APPEND_LOCK_KEY
from audit.choices import Action
from audit.context import current_access
from audit.models import AuditEvent


def _uuid(value) -> uuid.UUID | None:
    return None if value is None else uuid.UUID(str(value))


def _append(event: AuditEvent) -> None:
    """Chain the event to the last one and insert it.

    The last hash is read and the event inserted by one writer at a time: on PostgreSQL under a
    transaction-scoped advisory lock (held until the surrounding transaction ends), on SQLite by
    its IMMEDIATE transactions, which take the database's write lock when they begin."""
    with transaction.atomic(savepoint=False):
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [APPEND_LOCK_KEY])
        event.previous_hash = AuditEvent.objects.order_by("-id").values_list("hash", flat=True).first() or ""
        event.hash = event.compute_hash()
        event.save(force_insert=True)


def record_event(
    *,
    actor,
    action: str,
    record: models.Model | None = None,
    patient_public_id=None,
    changed_fields: Iterable[str] = (),
    actor_username: str = "",
    record_type: str = "",
    record_label: str = "",
    listed_patient_ids: Iterable = (),
) -> AuditEvent:
    access = current_access()
    if record is not None and patient_public_id is None:
        patient_public_id = getattr(record, "audit_patient_public_id", None)
    event = AuditEvent(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        actor_username=actor_username or getattr(actor, "username", "") or "",
        action=action,
        channel=access.channel,
        record_type=record._meta.label_lower if record is not None else record_type,
        record_id=getattr(record, "public_id", None),
        record_label=(record_label or (str(record) if record is not None else ""))[:200],
        patient_public_id=_uuid(patient_public_id),
        listed_patient_ids=sorted({str(_uuid(public_id)) for public_id in listed_patient_ids}),
        changed_fields=sorted(changed_fields),
    )
    # Stored as the database will give it back, so the hash is computed over the same text.
    event.ip_address = AuditEvent._meta.get_field("ip_address").get_prep_value(access.ip_address)
    _append(event)
    return event


def record_list_read(
    *,
    actor,
    record_type: str,
    label: str,
    patient_public_ids: Iterable,
    patient_public_id=None,
    action: str = Action.VIEW,
) -> AuditEvent:
    """One event for a read of a list of records: the patients it showed are named in the
    event (or, for a list filtered to one patient, that patient), so the number of rows
    does not change the number of events."""
    return record_event(
        actor=actor,
        action=action,
        record_type=record_type,
        record_label=label,
        patient_public_id=patient_public_id,
        listed_patient_ids=patient_public_ids,
    )
