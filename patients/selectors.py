"""Reads for patients: who may see which rows, and the front desk's search."""

import re
from datetime import date, datetime

from django.conf import settings
from django.db.models import Q

from accounts.models import User
from patients.choices import PatientStatus
from patients.models import Patient, PatientQuerySet

DATE_FORMATS = ("%Y-%m-%d", "%m/%d/%Y", "%m-%d-%Y", "%m/%d/%y")
PHONE_CHARACTERS = re.compile(r"^[\d\s()+.\-]+$")


def _parse_date(text: str) -> date | None:
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def _number_filter(digits: str) -> Q:
    """An MRN (or its first digits) or a phone number: ten digits, eleven with the
    leading 1, or seven for a local number in one of the clinic's area codes.
    Every branch is an exact or prefix match, so it stays on an index."""
    condition = Q(mrn__startswith=digits) if len(digits) < 8 else Q(mrn=digits)
    if len(digits) == 10:
        condition |= Q(phone=f"+1{digits}")
    elif len(digits) == 11 and digits.startswith("1"):
        condition |= Q(phone=f"+{digits}")
    elif len(digits) == 7:
        condition |= Q(phone__in=[f"+1{area}{digits}" for area in settings.CLINIC_AREA_CODES])
    return condition


def search_filter(query: str) -> Q:
    """One search box for the front desk: name fragments, MRN, date of birth or phone.

    "smi jo" finds Joan Smith; "03/02/1950" or "1950-03-02" a birth date;
    "716-555-0142" a phone; "10000013" an MRN. Terms combine: "smith 1950-03-02".
    """
    query = (query or "").strip()
    if not query:
        return Q()
    if PHONE_CHARACTERS.match(query) and _parse_date(query) is None:
        digits = re.sub(r"\D", "", query)
        if digits:
            return _number_filter(digits)
    condition = Q()
    for term in query.split():
        birth_date = _parse_date(term)
        if birth_date is not None:
            condition &= Q(date_of_birth=birth_date)
        elif term.isdigit():
            condition &= _number_filter(term)
        else:
            condition &= (
                Q(family_name__icontains=term)
                | Q(given_name__icontains=term)
                | Q(preferred_name__icontains=term)
            )
    return condition


def list_patients(*, viewer: User, query: str = "", status: str = PatientStatus.ACTIVE) -> PatientQuerySet:
    """Patients the viewer may see, searched and filtered. Every role that may view
    patients sees the whole clinic's register; archived ones only when asked for."""
    if not viewer.has_perm("patients.view_patient"):
        return Patient.objects.none()
    patients = Patient.objects.select_related("registered_by", "updated_by", "archived_by")
    if status == PatientStatus.ACTIVE:
        patients = patients.active()
    elif status == PatientStatus.ARCHIVED:
        patients = patients.archived()
    return patients.filter(search_filter(query))


def get_patient(*, viewer: User, public_id) -> Patient:
    """The patient, or Patient.DoesNotExist when unknown or not visible to the viewer."""
    return list_patients(viewer=viewer, status="all").get(public_id=public_id)


def list_registered_today(*, viewer: User, today: date) -> PatientQuerySet:
    return (
        list_patients(viewer=viewer, status="all")
        .filter(registered_at__date=today)
        .order_by("-registered_at")
    )
