"""Patients from another system's CSV export: checked row by row first (what would be created,
what may already be registered, what is invalid and why), then imported in batches, each batch
in one transaction, every created patient audited on the channel `import`.

A row is created only when it is valid and matches nobody: neither a registered patient (the
registration's own duplicate check, the same name and birth date or the same phone) nor an
earlier row of the file. A possible duplicate is left for a person to register or merge by hand.
The import is resumable: each batch records how far it got, so a job stopped midway continues
where it stopped without creating anyone twice."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from audit.choices import Channel
from audit.context import AccessContext, current_access, reset_access, set_access
from patients.choices import AdministrativeSex
from patients.models import DEMOGRAPHIC_FIELDS, Patient, PatientImport
from patients.services import lock_identities, register_patient

BATCH = 500
MAX_ROWS = 50_000
MAX_BYTES = 20 * 1024 * 1024
# Column names other systems use for ours (compared without case, spaces or underscores).
ALIASES = {
    "lastname": "family_name",
    "surname": "family_name",
    "familyname": "family_name",
    "firstname": "given_name",
    "givenname": "given_name",
    "preferredname": "preferred_name",
    "nickname": "preferred_name",
    "dob": "date_of_birth",
    "birthdate": "date_of_birth",
    "dateofbirth": "date_of_birth",
    "gender": "sex",
    "sex": "sex",
    "phone": "phone",
    "phonenumber": "phone",
    "email": "email",
    "address": "address_line1",
    "address1": "address_line1",
    "addressline1": "address_line1",
    "address2": "address_line2",
    "addressline2": "address_line2",
    "city": "city",
    "state": "state",
    "zip": "postal_code",
    "zipcode": "postal_code",
    "postalcode": "postal_code",
    "language": "preferred_language",
    "preferredlanguage": "preferred_language",
    "referringphysician": "referring_physician_name",
    "referringphysicianname": "referring_physician_name",
    "referringphysiciannpi": "referring_physician_npi",
    "npi": "referring_physician_npi",
    "diagnoses": "diagnosis_codes",
    "diagnosiscodes": "diagnosis_codes",
    "icd10": "diagnosis_codes",
    "insurance": "insurance_payer",
    "insurancepayer": "insurance_payer",
    "memberid": "insurance_member_id",
    "insurancememberid": "insurance_member_id",
    "emergencycontact": "emergency_contact_name",
    "emergencycontactname": "emergency_contact_name",
    "emergencycontactrelationship": "emergency_contact_relationship",
    "emergencycontactphone": "emergency_contact_phone",
}
REQUIRED = ("family_name", "given_name", "date_of_birth", "sex")
SEXES = {"f": "female", "m": "male", "o": "other", "u": "unknown", **{v: v for v in AdministrativeSex.values}}


class CsvProblem(Exception):
    """The file as a whole cannot be read (no header, a required column missing, too large)."""


@dataclass
class RowResult:
    row: int  # the line in the file (the header is line 1)
    outcome: str  # "create", "duplicate", "invalid"; after the import "created" or "skipped"
    name: str
    reason: str = ""
    mrn: str = ""


def _key(header: str) -> str:
    return "".join(ch for ch in header.casefold() if ch.isalnum())


def columns(header: list[str]) -> dict[int, str]:
    """Which of our fields each column holds; raises CsvProblem for a missing required one."""
    ours = {_key(field): field for field in DEMOGRAPHIC_FIELDS}
    found: dict[int, str] = {}
    for index, name in enumerate(header):
        field = ours.get(_key(name)) or ALIASES.get(_key(name))
        if field and field not in found.values():
            found[index] = field
    missing = [field for field in REQUIRED if field not in found.values()]
    if missing:
        raise CsvProblem(
            f"The file has no column for {', '.join(missing)} (header: {', '.join(header) or 'none'})."
        )
    return found


def read(text: str) -> tuple[dict[int, str], list[list[str]]]:
    if len(text.encode()) > MAX_BYTES:
        raise CsvProblem(f"The file is larger than {MAX_BYTES // (1024 * 1024)} MB: split it.")
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    try:
        header = next(reader)
    except StopIteration:
        raise CsvProblem("The file is empty.") from None
    except csv.Error as error:
        raise CsvProblem(f"Not a CSV file: {error}.") from None
    mapping = columns(header)
    try:
        rows = [row for row in reader if any(cell.strip() for cell in row)]
    except csv.Error as error:
        raise CsvProblem(f"Not a CSV file: {error}.") from None
    if len(rows) > MAX_ROWS:
        raise CsvProblem(f"More than {MAX_ROWS} rows: split the file.")
    return mapping, rows


def _date(text: str) -> date | str:
    for pattern in ("%Y-%m-%d", "%m/%d/%Y", "%m/%d/%y"):
        try:
            value = datetime.strptime(text, pattern).date()
        except ValueError:
            continue
        if pattern == "%m/%d/%y" and value > timezone.localdate():
            value = value.replace(year=value.year - 100)  # 01/02/45 is 1945, never 2045
        return value
    return text  # left for the model's own message


def details_of(mapping: dict[int, str], row: list[str]) -> dict[str, Any]:
    details: dict[str, Any] = {}
    for index, field in mapping.items():
        value = row[index].strip() if index < len(row) else ""
        if field == "date_of_birth":
            details[field] = _date(value) if value else None
        elif field == "sex":
            details[field] = SEXES.get(value.casefold(), value)
        elif field == "diagnosis_codes":
            details[field] = [code for code in value.replace(";", " ").replace(",", " ").split() if code]
        elif field == "needs_interpreter":
            details[field] = value.casefold() in ("1", "y", "yes", "true")
        elif field == "preferred_language":
            details[field] = value.casefold() or "en"
        else:
            details[field] = value
    return details


def _errors(error: ValidationError) -> str:
    if hasattr(error, "error_dict"):
        return "; ".join(
            f"{field.replace('_', ' ')}: {' '.join(str(m) for m in messages)}"
            for field, messages in error.message_dict.items()
        )
    return " ".join(error.messages)


def identity(family: str, given: str, born: Any) -> tuple:
    return (family.strip().casefold(), given.strip().casefold(), born)


class Registered:
    """Who is registered already, for a set of rows: read in a few queries (by the rows' birth
    dates and phones), compared as the registration's duplicate check compares (names without
    letter case, accents kept; archived patients count)."""

    def __init__(self, patients: list[Patient]):
        self.by_identity: dict[tuple, str] = {}
        self.by_phone: dict[str, str] = {}
        born = sorted({p.date_of_birth for p in patients if isinstance(p.date_of_birth, date)})
        phones = sorted({str(p.phone) for p in patients if p.phone})
        for chunk, field in [(born[i : i + 500], "date_of_birth") for i in range(0, len(born), 500)] + [
            (phones[i : i + 500], "phone") for i in range(0, len(phones), 500)
        ]:
            rows = Patient.objects.filter(**{f"{field}__in": chunk}).values_list(
                "mrn", "family_name", "given_name", "date_of_birth", "phone"
            )
            for mrn, family, given, birth, phone in rows:
                label = f"MRN {mrn} ({family}, {given})"
                self.by_identity.setdefault(identity(family, given, birth), label)
                if phone:
                    self.by_phone.setdefault(str(phone), label)

    def match(self, patient: Patient) -> str | None:
        found = self.by_identity.get(identity(patient.family_name, patient.given_name, patient.date_of_birth))
        if found is None and patient.phone:
            found = self.by_phone.get(str(patient.phone))
        return found


def check_row(patient: Patient, number: int, seen: dict[tuple, int], registered: Registered) -> RowResult:
    """What registering the row would do (no write): create, a possible duplicate, or invalid."""
    name = f"{patient.family_name}, {patient.given_name}".strip(", ")
    if isinstance(patient.date_of_birth, str):
        return RowResult(number, "invalid", name, f"date of birth: {patient.date_of_birth!r} is not a date.")
    try:
        # Constraints: patients.services.CONSTRAINTS_COVERED_BY_FIELDS
        patient.full_clean(exclude=["mrn", "registered_by", "updated_by"], validate_constraints=False)
    except ValidationError as error:
        return RowResult(number, "invalid", name, _errors(error))
    keys = [identity(patient.family_name, patient.given_name, patient.date_of_birth)]
    if patient.phone:
        keys.append(("phone", str(patient.phone)))
    earlier = next((seen[key] for key in keys if key in seen), None)
    if earlier is not None:
        return RowResult(number, "duplicate", name, f"the same person as row {earlier} of this file")
    for key in keys:
        seen[key] = number
    match = registered.match(patient)
    if match is not None:
        return RowResult(number, "duplicate", name, f"may already be registered: {match}")
    return RowResult(number, "create", name)


def _patient(details: dict[str, Any]) -> Patient:
    return Patient(**details)


def plan(text: str) -> list[RowResult]:
    """The dry run: each row's outcome, in file order."""
    mapping, rows = read(text)
    patients = [_patient(details_of(mapping, row)) for row in rows]
    registered = Registered(patients)
    seen: dict[tuple, int] = {}
    return [check_row(patient, number, seen, registered) for number, patient in enumerate(patients, start=2)]


def summary(results: list[dict[str, Any]]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for result in results:
        counts[result["outcome"]] = counts.get(result["outcome"], 0) + 1
    return counts


@transaction.atomic
def check_file(*, text: str, filename: str, by: User) -> PatientImport:
    """Read and check an uploaded file (the dry run) and keep it with its report."""
    results = plan(text)
    return PatientImport.objects.create(
        filename=filename[:200],
        content=text,
        uploaded_by=by,
        rows=len(results),
        report=[asdict(result) for result in results],
    )


def _batches(results: list[dict[str, Any]], start: int) -> Iterator[list[int]]:
    indexes = list(range(start, len(results)))
    for offset in range(0, len(indexes), BATCH):
        yield indexes[offset : offset + BATCH]


def run_import(public_id: Any) -> PatientImport:
    """Register every row that checks out, a batch of rows per transaction; resumable (each batch
    records how far it got, in the same transaction as its patients). Rows that turned invalid or
    into duplicates since the dry run are skipped with their reason."""
    job = PatientImport.objects.get(public_id=public_id)
    if job.finished_at is not None:
        return job
    by = job.started_by or job.uploaded_by
    mapping, rows = read(job.content)
    token = set_access(AccessContext(channel=Channel.IMPORT, ip_address=current_access().ip_address))
    try:
        for batch in _batches(job.report, job.processed):
            with transaction.atomic():
                job = PatientImport.objects.select_for_update().get(pk=job.pk)
                if batch[0] < job.processed:  # another worker did this batch
                    continue
                report = list(job.report)
                wanted = [index for index in batch if report[index]["outcome"] == "create"]
                details = {index: details_of(mapping, rows[index]) for index in wanted}
                patients = {index: _patient(details[index]) for index in wanted}
                lock_identities(list(patients.values()))  # registrations of the same people wait
                registered = Registered(list(patients.values()))  # since the check, or by this import
                for index in batch:
                    report[index] = _import_row(
                        report[index], details.get(index), patients.get(index), registered, by
                    )
                job.report = report
                job.processed = batch[-1] + 1
                job.save(update_fields=["report", "processed"])
        with transaction.atomic():
            job = PatientImport.objects.select_for_update().get(pk=job.pk)
            if job.finished_at is None:
                job.finished_at = timezone.now()
                job.save(update_fields=["finished_at"])
    finally:
        reset_access(token)
    return job


def _import_row(
    result: dict[str, Any],
    details: dict[str, Any] | None,
    patient: Patient | None,
    registered: Registered,
    by: User,
) -> dict[str, Any]:
    if details is None or patient is None:
        return {**result, "outcome": "skipped", "reason": result["reason"] or result["outcome"]}
    match = registered.match(patient)
    if match is not None:
        return {**result, "outcome": "skipped", "reason": f"registered since the check: {match}"}
    try:
        with transaction.atomic():
            # the duplicate check is the batch's, above, under the same identity locks
            patient = register_patient(by=by, confirmed_not_duplicate=True, **details)
    except (ValidationError, TypeError, ValueError) as error:
        reason = _errors(error) if isinstance(error, ValidationError) else str(error)
        return {**result, "outcome": "skipped", "reason": reason}
    key = identity(patient.family_name, patient.given_name, patient.date_of_birth)
    registered.by_identity[key] = f"MRN {patient.mrn} ({patient.display_name})"
    if patient.phone:
        registered.by_phone[str(patient.phone)] = f"MRN {patient.mrn} ({patient.display_name})"
    return {**result, "outcome": "created", "mrn": patient.mrn}
