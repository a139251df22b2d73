"""The audit trail's hash chain: each event's hash covers its content and the hash of the event
before it, so changing or removing a stored event breaks the chain at that point.

Pure functions over plain values (no models), shared by the model, the data migration that chains
the events written before the chain existed, and `manage.py verify_audit`.
"""

import hashlib
import json
from datetime import UTC, datetime

# The fields an event's hash covers, in the order they are serialized.
HASHED_FIELDS = (
    "public_id",
    "occurred_at",
    "actor_id",
    "actor_username",
    "action",
    "channel",
    "ip_address",
    "record_type",
    "record_id",
    "record_label",
    "patient_public_id",
    "listed_patient_ids",
    "changed_fields",
)

# pg_advisory_xact_lock key held while an event is appended: one writer at a time reads the
# last hash and inserts the next event, so the chain never forks.
APPEND_LOCK_KEY = 0x0A0D17  # "audit" — any fixed 64-bit number used for nothing else


def _canonical_value(value):
    if value is None or isinstance(value, (str, int, bool, list)):
        return value
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    return str(value)  # UUIDs


def canonical_content(values: dict, previous_hash: str) -> bytes:
    """The bytes that are hashed: sorted-key JSON of every hashed field (datetimes as UTC ISO 8601,
    UUIDs as strings) and the previous event's hash."""
    content = {name: _canonical_value(values[name]) for name in HASHED_FIELDS}
    content["previous_hash"] = previous_hash
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode()


def event_hash(values: dict, previous_hash: str) -> str:
    """SHA-256 (hex) of the event's canonical content chained to the previous hash."""
    return hashlib.sha256(canonical_content(values, previous_hash)).hexdigest()
