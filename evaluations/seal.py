"""The seal of a signed evaluation: a SHA-256 digest of everything it said when it was signed.

Signing stores the digest; every read of a signed evaluation computes it again from what the
database holds now. A difference means the signed content was changed outside the application
(the application itself never changes a signed evaluation): the reader is warned and the
mismatch is audited. Addenda are not sealed; they are appended after signing by design.
"""

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from django.db import models

from evaluations.interpretation import EvaluationRecord
from evaluations.sections import SECTIONS

SEAL_ALGORITHM = "sha256:buffalo-ot-evaluation-v1"

# Fields added to a list after evaluations were first sealed, with the value every earlier row
# holds: a row at that value leaves the field out, so the content of an evaluation signed before
# the field existed reads exactly as it did when it was signed (its seal still holds), and a row
# that uses the field has it sealed.
ADDED_SINCE_V1: dict[tuple[str, str], Any] = {
    ("goals", "target_level"): "",
    ("goals", "status"): "",
    ("goals", "status_note"): "",
    ("goals", "baseline_goal"): None,
    ("screens", "items"): {},
    ("scales", "items"): {},
    ("ratings", "helper_effort_pct"): None,
    ("ratings", "setup_only"): False,
}


# Lists added after evaluations were first sealed: an evaluation without rows in them leaves them
# out, so a seal made before they existed still holds.
LISTS_ADDED_SINCE_V1 = frozenset({"psfs"})


def _plain(value: Any) -> Any:
    """A stored value as plain JSON: catalogue entries by their code, dates in ISO form, times in UTC."""
    if isinstance(value, models.Model):
        return getattr(value, "code", None) or str(value.pk)
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def canonical_content(record: EvaluationRecord) -> dict[str, Any]:
    """What a signature vouches for, from a record with every section loaded; no queries."""
    evaluation = record.evaluation
    sections = {}
    for section in SECTIONS:
        content = record.content(section)
        fields = {
            name: _plain(content[name]) for name in (*section.evaluation_fields, *section.profile_fields)
        }
        lists = {}
        for rows in section.rows:
            plain_rows = [
                {
                    name: _plain(getattr(row, name))
                    for name in rows.fields
                    if (rows.key, name) not in ADDED_SINCE_V1
                    or getattr(row, name) != ADDED_SINCE_V1[(rows.key, name)]
                }
                for row in content[rows.key]
            ]
            if not plain_rows and rows.key in LISTS_ADDED_SINCE_V1:
                continue
            # Order-free: the same rows in any stored order are the same content.
            lists[rows.key] = sorted(plain_rows, key=lambda row: json.dumps(row, sort_keys=True))
        sections[section.api_key] = {**fields, **lists}
    return {
        "algorithm": SEAL_ALGORITHM,
        "evaluation": str(evaluation.public_id),
        "patient": str(evaluation.patient.public_id),
        "kind": evaluation.kind,
        "date_of_service": _plain(evaluation.date_of_service),
        "therapist": evaluation.therapist.get_username(),
        "previous_evaluation": (
            str(evaluation.previous_evaluation.public_id) if evaluation.previous_evaluation else None
        ),
        "signed_by": evaluation.signed_by.get_username() if evaluation.signed_by else None,
        "signed_at": _plain(evaluation.signed_at),
        "sections": sections,
    }


def content_digest(record: EvaluationRecord) -> str:
    text = json.dumps(canonical_content(record), sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


class SealState(StrEnum):
    DRAFT = "draft"  # nothing sealed yet
    INTACT = "intact"  # signed content as it was signed
    BROKEN = "broken"  # signed content changed since signing
    MISSING = "missing"  # signed before seals existed, or the seal itself was removed


@dataclass(frozen=True)
class Seal:
    state: SealState
    stored: str
    computed: str

    @property
    def is_broken(self) -> bool:
        return self.state in (SealState.BROKEN, SealState.MISSING)

    @property
    def short(self) -> str:
        return self.stored[:16]


def check_seal(record: EvaluationRecord) -> Seal:
    """Compare a signed evaluation's stored seal with its content now (every section loaded)."""
    evaluation = record.evaluation
    if not evaluation.is_signed:
        return Seal(SealState.DRAFT, "", "")
    computed = content_digest(record)
    if not evaluation.content_sha256:
        return Seal(SealState.MISSING, "", computed)
    state = SealState.INTACT if computed == evaluation.content_sha256 else SealState.BROKEN
    return Seal(state, evaluation.content_sha256, computed)
