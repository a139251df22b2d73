"""Writes for patients: register, correct, archive, restore, and record who looked."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from stdnum import luhn

from accounts.models import User
from audit.choices import Action
from audit.services import record_event, record_list_read
from common.exceptions import Conflict, check_version
from common.locks import lock_for_transaction
from common.models import attribute_history
from patients.models import DEMOGRAPHIC_FIELDS, MedicalRecordNumberSequence, Patient
from patients.selectors import find_possible_duplicates
from patients.validators import normalize_icd10cm_code


class PossibleDuplicate(Conflict):
    """Registration stopped: active patients with the same name and birth date, or phone, exist."""

    code = "possible_duplicate"

    def __init__(self, matches: list[Patient]):
        super().__init__(
            _(
                "A patient with the same name and date of birth, or the same phone, is already "
                "registered. Check the matches; if this is a different person, confirm to register."
            )
        )
        self.matches = matches

    def extra(self) -> dict:
        return {
            "matches": [
                {
                    "id": str(match.public_id),
                    "mrn": match.mrn,
                    "given_name": match.given_name,
                    "family_name": match.family_name,
                    "date_of_birth": match.date_of_birth.isoformat(),
                    "status": "archived" if match.is_archived else "active",
                }
                for match in self.matches
            ]
        }


class ArchivedPatient(Conflict):
    """The change is refused because of the patient's archive state."""

    code = "archived"


def _next_mrn() -> str:
    """Seven-digit sequence number plus a Luhn check digit, so a mistyped MRN rarely matches."""
    updated = MedicalRecordNumberSequence.objects.filter(pk=1).update(last_value=F("last_value") + 1)
    if not updated:
        MedicalRecordNumberSequence.objects.create(pk=1, last_value=1000000)  # after a flush
    number = str(MedicalRecordNumberSequence.objects.get(pk=1).last_value)
    return number + luhn.calc_check_digit(number)


def _clean_details(details: dict[str, Any]) -> dict[str, Any]:
    unknown = set(details) - set(DEMOGRAPHIC_FIELDS)
    if unknown:
        raise TypeError(f"Not a demographic field: {', '.join(sorted(unknown))}")
    cleaned = {name: value.strip() if isinstance(value, str) else value for name, value in details.items()}
    if "diagnosis_codes" in cleaned:
        codes = cleaned["diagnosis_codes"] or []
        if isinstance(codes, list):
            cleaned["diagnosis_codes"] = [
                normalize_icd10cm_code(c) for c in codes if isinstance(c, str) and c.strip()
            ]
    if cleaned.get("phone") is None and "phone" in cleaned:
        cleaned["phone"] = ""
    if cleaned.get("emergency_contact_phone") is None and "emergency_contact_phone" in cleaned:
        cleaned["emergency_contact_phone"] = ""
    return cleaned


def _serialize_identity_checks(patient: Patient) -> None:
    """Registrations of the same person (same name and birth date, or same phone) take turns, so
    the second one's duplicate check sees the first one's row instead of both passing at once."""
    lock_identities([patient])


def lock_identities(patients: list[Patient]) -> None:
    """Hold, until the transaction ends, the identity locks of these (unsaved) patients: the lock a
    registration of the same person takes before its duplicate check (an import takes a batch's)."""
    names = []
    for patient in patients:
        names.append(
            "patient-identity:"
            + "|".join(
                (
                    patient.given_name.strip().casefold(),
                    patient.family_name.strip().casefold(),
                    str(patient.date_of_birth),
                )
            )
        )
        if patient.phone:
            names.append(f"patient-phone:{patient.phone}")
    lock_for_transaction(*names)


# The model's constraints restate what its fields already check with a message (sex and language
# among their choices) or concern archiving (never set at registration); the database enforces
# them all. Checking them again in Python costs a query each (tests/patients: a new constraint
# must be added to this reasoning or checked here).
CONSTRAINTS_COVERED_BY_FIELDS = (
    "patient_sex_known_code",
    "patient_language_known_code",
    "patient_archive_attributed",
)


@transaction.atomic
def register_patient(*, by: User, confirmed_not_duplicate: bool = False, **details: Any) -> Patient:
    """Register a new patient and assign an MRN.

    Raises PossibleDuplicate unless the clerk has confirmed that the matches are
    other people; raises ValidationError for bad details. Nothing is saved on error.
    """
    details = _clean_details(details)
    patient = Patient(**details, registered_by=by, updated_by=by)
    # Constraints: see CONSTRAINTS_COVERED_BY_FIELDS.
    patient.full_clean(exclude=["mrn", "registered_by", "updated_by"], validate_constraints=False)
    if not confirmed_not_duplicate:
        _serialize_identity_checks(patient)
        matches = find_possible_duplicates(
            given_name=patient.given_name,
            family_name=patient.family_name,
            date_of_birth=patient.date_of_birth,
            phone=patient.phone,
        )
        if matches:
            raise PossibleDuplicate(matches)
    patient.mrn = _next_mrn()
    attribute_history(patient, by)
    patient.save()
    record_event(
        actor=by,
        action=Action.CREATE,
        record=patient,
        changed_fields=[name for name in details if details[name] not in ("", None, [])],
    )
    return patient


@transaction.atomic
def update_patient(
    *, patient: Patient, by: User, expected_version: int | None = None, **changes: Any
) -> Patient:
    """Correct a patient's demographics. Only the fields that really change are written and audited.

    With `expected_version` (the version the caller loaded), a record changed meanwhile raises
    StaleVersion: compared under the row lock, so two simultaneous edits cannot both win."""
    patient = Patient.objects.select_for_update().get(pk=patient.pk)
    if patient.is_archived:
        raise ArchivedPatient(_("This patient is archived; restore the record before changing it."))
    check_version(current=patient.version, expected=expected_version)
    changes = _clean_details(changes)
    changed = [name for name, value in changes.items() if getattr(patient, name) != value]
    if not changed:
        return patient
    for name in changed:
        setattr(patient, name, changes[name])
    patient.updated_by = by
    patient.full_clean()
    patient.version += 1
    attribute_history(patient, by)
    patient.save(update_fields=[*changed, "updated_by", "updated_at", "version"])
    record_event(actor=by, action=Action.UPDATE, record=patient, changed_fields=changed)
    return patient


@transaction.atomic
def archive_patient(
    *, patient: Patient, by: User, reason: str, expected_version: int | None = None
) -> Patient:
    """Take a patient out of the active lists. The record and its history stay."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the patient is archived.")})
    if len(reason) > 200:
        raise ValidationError({"reason": _("Keep the reason under 200 characters.")})
    patient = Patient.objects.select_for_update().get(pk=patient.pk)
    if patient.is_archived:
        raise ArchivedPatient(_("This patient is already archived."))
    check_version(current=patient.version, expected=expected_version)
    return _set_archived(patient, by, archived=True, reason=reason)


@transaction.atomic
def restore_patient(*, patient: Patient, by: User, expected_version: int | None = None) -> Patient:
    """Bring an archived patient back to the active lists."""
    patient = Patient.objects.select_for_update().get(pk=patient.pk)
    if not patient.is_archived:
        raise ArchivedPatient(_("This patient is not archived."))
    check_version(current=patient.version, expected=expected_version)
    return _set_archived(patient, by, archived=False, reason="")


def _set_archived(patient: Patient, by: User, *, archived: bool, reason: str) -> Patient:
    """Archive or restore a locked patient: a new version, its history row and its audit event."""
    patient.archived_at = timezone.now() if archived else None
    patient.archived_by = by if archived else None
    patient.archive_reason = reason
    patient.updated_by = by
    patient.version += 1
    attribute_history(patient, by)
    patient.save(
        update_fields=["archived_at", "archived_by", "archive_reason", "updated_by", "updated_at", "version"]
    )
    record_event(
        actor=by,
        action=Action.ARCHIVE if archived else Action.RESTORE,
        record=patient,
        changed_fields=["archived_at", "archived_by", "archive_reason"],
    )
    return patient


def record_patient_viewed(*, patient: Patient, by: User) -> None:
    """A read of the patient's record, for the audit trail."""
    record_event(actor=by, action=Action.VIEW, record=patient)


def record_patients_listed(*, by: User, patients, query: str = "") -> None:
    """A page of the register shown in the admin (a search when there is a query): one event
    naming the patients on the page."""
    shown = list(patients)
    record_list_read(
        actor=by,
        action=Action.SEARCH if query else Action.VIEW,
        record_type=Patient._meta.label_lower,
        label=(f"Admin patient list: {query!r}, " if query else "Admin patient list: ")[:160]
        + f"{len(shown)} shown",
        patient_public_ids=[patient.public_id for patient in shown],
    )


def record_audit_trail_read(*, patient: Patient, by: User) -> None:
    """A clinic admin read who has seen or changed the patient's record; that read is in the trail too."""
    record_event(
        actor=by,
        action=Action.VIEW,
        record_type="audit.auditevent",
        record_label=f"Audit trail of {patient}"[:200],
        patient_public_id=patient.public_id,
    )


def record_patient_search(*, by: User, query: str, status: str, result_count: int) -> None:
    """A search of the register: who looked for whom, and how many rows they were shown."""
    record_event(
        actor=by,
        action=Action.SEARCH,
        record_label=f"patients: {query!r} ({status or 'active'}), {result_count} found"[:200],
    )
