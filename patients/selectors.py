"""Reads for patients: who may see which rows, and the front desk's search."""

import re
from datetime import date, datetime
from typing import NamedTuple

from django.conf import settings
from django.db.models import CharField, F, Func, Q, TextField, Value
from django.db.models.functions import Concat
from django.db.models.lookups import IContains

from accounts.models import User
from patients.choices import PatientStatus
from patients.models import Patient, PatientQuerySet

DATE_FORMATS = ("%Y-%m-%d", "%m/%d/%Y", "%m-%d-%Y", "%m/%d/%y")
PHONE_CHARACTERS = re.compile(r"^[\d\s()+.\-]+$")


# The lists' order: by name, then birth date, then the MRN, which is unique, so a cursor names one
# place in it (common.keyset). An index over active patients follows it (patient_active_order_idx).
PATIENT_LIST_ORDER = ("family_name", "given_name", "date_of_birth", "mrn")

# A search of two or more name fragments pages in the same order, by a copy of the family name
# (family_name || ''): the same values and collation, but no index matches it, so PostgreSQL finds
# the few patients matching every fragment through the trigram indexes and sorts them, instead of
# walking the name-order index past every other patient ("joan kowal": 472 ms that way, 42 ms
# this way, at a million patients). One fragment keeps the walk, which finds a page of a common
# name sooner than sorting all its thousands (bench/README.md).
PATIENT_SEARCH_ORDER = ("search_family_name", "given_name", "date_of_birth", "mrn")


class SearchName(Func):
    """The family, given and preferred names as one text, separated by spaces, exactly as the
    trigram index `patient_search_name_trgm` holds it (patients migration 0009): a name fragment
    is looked for in it, so one index scan finds the patients matching every fragment at once.
    A fragment holds no space, so it matches inside one of the names, never across two."""

    template = "(%(expressions)s)"
    arg_joiner = " || ' ' || "
    output_field = TextField()

    def __init__(self) -> None:
        super().__init__(F("family_name"), F("given_name"), F("preferred_name"))


class Paging(NamedTuple):
    """How a patient list is paged (common.keyset): the patients, the order, and whether a page is
    found by its keys first (a name search walking the list's index: see `for_paging`)."""

    patients: PatientQuerySet
    order: tuple[str, ...]
    keys_first: bool


def name_terms(query: str) -> list[str]:
    """The parts of a search that are name fragments (not a number or a date)."""
    terms = (query or "").strip()[:MAX_SEARCH_LENGTH].split()[:MAX_SEARCH_TERMS]
    return [term for term in terms if not term.isdigit() and _parse_date(term) is None]


def for_paging(patients: PatientQuerySet, *, query: str = "") -> Paging:
    """The patients and the order to page them in (common.keyset).

    One name fragment walks the list's index in order; that index also holds the preferred name
    and the primary key (patient_active_order_idx), so with `keys_first` the walk reads the index
    alone, skipping the patients whose names do not match without reading their rows, and only
    the page's rows are read whole ("owal" at a million patients: 33 ms to 3 ms)."""
    terms = name_terms(query)
    if len(terms) < 2:
        return Paging(patients, PATIENT_LIST_ORDER, keys_first=bool(terms))
    copy = Concat("family_name", Value(""), output_field=CharField())
    return Paging(patients.annotate(search_family_name=copy), PATIENT_SEARCH_ORDER, keys_first=False)


MAX_SEARCH_TERMS = 6
MAX_SEARCH_LENGTH = 100


def _parse_date(text: str) -> date | None:
    for fmt in DATE_FORMATS:
        try:
            parsed = datetime.strptime(text, fmt).date()
        except ValueError:
            continue
        # A two-digit year is a birth year: "03/02/50" is 1950, never 2050.
        if fmt.endswith("%y") and parsed > date.today():
            parsed = parsed.replace(year=parsed.year - 100)
        return parsed
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
    query = (query or "").strip()[:MAX_SEARCH_LENGTH]
    if not query:
        return Q()
    if PHONE_CHARACTERS.match(query) and _parse_date(query) is None:
        digits = re.sub(r"\D", "", query)
        if digits:
            return _number_filter(digits)
    condition = Q()
    for term in query.split()[:MAX_SEARCH_TERMS]:
        birth_date = _parse_date(term)
        if birth_date is not None:
            condition &= Q(date_of_birth=birth_date)
        elif term.isdigit():
            condition &= _number_filter(term)
        else:
            condition &= Q(IContains(SearchName(), term))
    return condition


def list_patients(*, viewer: User, query: str = "", status: str = PatientStatus.ACTIVE) -> PatientQuerySet:
    """Patients the viewer may see, searched and filtered. Every role that may view
    patients sees the whole clinic's register; archived ones only when asked for."""
    if not viewer.has_perm("patients.view_patient"):
        return Patient.objects.none()
    patients = Patient.objects.all()  # a list shows the patient's own columns: no joins
    if status == PatientStatus.ACTIVE or not status:
        patients = patients.active()
    elif status == PatientStatus.ARCHIVED:
        patients = patients.archived()
    return patients.filter(search_filter(query))


def find_possible_duplicates(
    *, given_name: str, family_name: str, date_of_birth: date | None, phone=None, exclude_pk=None
) -> list[Patient]:
    """Patients who may be the same person: same name (any letter case, accents kept)
    and birth date, or the same phone. Archived patients count too, so a returning
    patient is restored rather than registered twice.

    Names are compared in Python with casefold(): SQLite's LOWER() folds ASCII only."""
    candidates = Q()
    if given_name and family_name and date_of_birth:
        candidates |= Q(date_of_birth=date_of_birth)
    if phone:
        candidates |= Q(phone=phone)
    if not candidates:
        return []
    same_name = (given_name.strip().casefold(), family_name.strip().casefold())
    matches = []
    for patient in (
        Patient.objects.filter(candidates)
        .exclude(pk=exclude_pk)
        .order_by("family_name", "given_name", "mrn")[:200]
    ):
        by_name = (
            patient.date_of_birth == date_of_birth
            and (patient.given_name.casefold(), patient.family_name.casefold()) == same_name
        )
        if by_name or (phone and patient.phone == phone):
            matches.append(patient)
    return matches[:10]


def get_patient(*, viewer: User, public_id) -> Patient:
    """The patient, or Patient.DoesNotExist when unknown or not visible to the viewer."""
    return (
        list_patients(viewer=viewer, status="all")
        .select_related("registered_by", "updated_by", "archived_by")
        .get(public_id=public_id)
    )


def list_registered_today(*, viewer: User, today: date) -> PatientQuerySet:
    return (
        list_patients(viewer=viewer, status="all")
        .select_related("registered_by")  # the list says who registered each
        .filter(registered_at__date=today)
        .order_by("-registered_at")
    )
