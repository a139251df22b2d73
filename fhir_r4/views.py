"""FHIR R4 read and search under /fhir/r4/ (no trailing slashes, as FHIR clients call them).

Answers are `application/fhir+json` (plain `application/json` is accepted too); every error is an
OperationOutcome with its status. Search is strict: a parameter or modifier this server does not
support is a 400, never silently ignored. Every read and search of patient data is audited."""

from __future__ import annotations

import re
from calendar import monthrange
from datetime import date
from typing import Any
from uuid import UUID

from django.db.models import Q, QuerySet
from django.db.models.lookups import IContains
from django.utils import timezone
from rest_framework import exceptions, permissions, status
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param
from rest_framework.views import APIView

from accounts.authentication import (
    BearerTokenAuthentication,
    ExpiringTokenAuthentication,
    IntegrationKeyAuthentication,
)
from common.api import exception_handler, requires
from common.keyset import InvalidCursor, KeysetPage, keyset_page
from fhir_r4.resources import (
    checked,
    mrn_system,
    operation_outcome,
    patient_json,
    patient_resource,
)
from patients.choices import AdministrativeSex
from patients.models import Patient
from patients.selectors import SearchName, list_patients
from patients.services import record_patient_search, record_patient_viewed

DEFAULT_COUNT = 25
MAX_COUNT = 100
# Paging and totals. `total` is given when the first page holds every match, or when asked for:
# `_total=accurate`, `_count=0` (the total alone), or `_totalMethod=count` (what fhirpy's count()
# sends). Otherwise it is left out (FHIR allows that): counting every match of a broad search at a
# million patients costs a hundred times the page.
PAGING = {"_count", "_cursor", "_total", "_totalMethod"}
FHIR_PATIENT_ORDER = ("pk",)
TOTAL_VALUES = {"_total": {"none", "estimate", "accurate"}, "_totalMethod": {"count"}}


class FhirJSONRenderer(JSONRenderer):
    media_type = "application/fhir+json"
    format = "json"


class SearchError(Exception):
    """A search the server cannot answer as asked: a 400 OperationOutcome."""


ISSUE_CODES = {
    400: "invalid",
    401: "login",
    403: "forbidden",
    404: "not-found",
    405: "not-supported",
    406: "not-supported",
    409: "conflict",
    415: "not-supported",
    429: "throttled",
}


class FhirView(APIView):
    schema = None  # described by its CapabilityStatement (/fhir/r4/metadata), not the REST API's OpenAPI
    renderer_classes = [FhirJSONRenderer, JSONRenderer]
    authentication_classes = [
        IntegrationKeyAuthentication,
        BearerTokenAuthentication,
        ExpiringTokenAuthentication,
    ]

    def get_exception_handler(self):
        return fhir_exception_handler

    def base_url(self) -> str:
        return self.request.build_absolute_uri("/fhir/r4")


def fhir_exception_handler(exc, context):
    if isinstance(exc, SearchError):
        return Response(operation_outcome("invalid", str(exc)), status=status.HTTP_400_BAD_REQUEST)
    response = exception_handler(exc, context)
    if response is None:
        return None
    detail = response.data.get("detail") if isinstance(response.data, dict) else None
    code = ISSUE_CODES.get(response.status_code, "exception")
    response.data = operation_outcome(code, str(detail or response.data))
    return response


PATIENT_SEARCH_PARAMS = [
    ("_id", "token", "The patient's id (its public UUID); several separated by commas."),
    ("identifier", "token", "The MRN: `system|value` or the value alone."),
    ("name", "string", "Starts any of the family, given or preferred names (any letter case)."),
    ("family", "string", "Starts the family name (any letter case)."),
    ("given", "string", "Starts the given or preferred name (any letter case)."),
    ("birthdate", "date", "YYYY, YYYY-MM or YYYY-MM-DD, with the prefixes eq, ne, lt, gt, le, ge."),
    ("gender", "token", "female, male, other or unknown."),
    ("_count", "number", f"Patients per page, 0 (the total alone) to {MAX_COUNT} (default {DEFAULT_COUNT})."),
    (
        "_total",
        "token",
        "accurate: the Bundle's total even when more pages follow (none, estimate: as without).",
    ),
]
PATIENT_PARAMS = {name for name, _kind, _text in PATIENT_SEARCH_PARAMS} | PAGING

DATE = re.compile(r"^(eq|ne|lt|gt|le|ge)?(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def _date_range(text: str, name: str = "birthdate") -> tuple[str, date, date]:
    match = DATE.match(text)
    if match is None:
        raise SearchError(f"{name}: {text!r} is not a date (YYYY, YYYY-MM or YYYY-MM-DD, with a prefix).")
    prefix, year, month, day = match.group(1) or "eq", int(match[2]), match[3], match[4]
    try:
        if day:
            start = end = date(year, int(month), int(day))
        elif month:
            start = date(year, int(month), 1)
            end = date(year, int(month), monthrange(year, int(month))[1])
        else:
            start, end = date(year, 1, 1), date(year, 12, 31)
    except ValueError:
        raise SearchError(f"{name}: {text!r} is not a date.") from None
    return prefix, start, end


def _birthdate(text: str) -> Q:
    prefix, start, end = _date_range(text)
    return {
        "eq": Q(date_of_birth__range=(start, end)),
        "ne": ~Q(date_of_birth__range=(start, end)),
        "lt": Q(date_of_birth__lt=start),
        "gt": Q(date_of_birth__gt=end),
        "le": Q(date_of_birth__lte=end),
        "ge": Q(date_of_birth__gte=start),
    }[prefix]


def _identifier(text: str) -> Q:
    system, bar, value = text.rpartition("|")
    if bar and system and system != mrn_system():
        return Q(pk__in=[])  # an identifier of another system: no patient of ours has it
    return Q(mrn=value if bar else text)


def _ids(text: str) -> Q:
    ids = []
    for part in text.split(","):
        try:
            ids.append(UUID(part.strip()))
        except ValueError:
            continue  # not an id of ours: matches nothing
    return Q(public_id__in=ids)


def _gender(text: str) -> Q:
    codes = [code.strip() for code in text.split(",")]
    unknown = [code for code in codes if code not in AdministrativeSex.values]
    if unknown:
        raise SearchError(
            f"gender: {', '.join(unknown)} is not one of {', '.join(AdministrativeSex.values)}."
        )
    return Q(sex__in=codes)


def _starts(*fields: str):
    def condition(text: str) -> Q:
        found = Q()
        for field in fields:
            found |= Q(**{f"{field}__istartswith": text})
        # Implied by any of the above, and what the names' trigram index answers: a rare fragment
        # is gathered from that index instead of walking the whole list (patients.selectors).
        return Q(IContains(SearchName(), text)) & found

    return condition


PATIENT_FILTERS = {
    "_id": _ids,
    "identifier": _identifier,
    "name": _starts("family_name", "given_name", "preferred_name"),
    "family": _starts("family_name"),
    "given": _starts("given_name", "preferred_name"),
    "birthdate": _birthdate,
    "gender": _gender,
}


def _check_totals(request) -> None:
    for name, allowed in TOTAL_VALUES.items():
        value = request.query_params.get(name)
        if value is not None and value not in allowed:
            raise SearchError(f"{name}: one of {', '.join(sorted(allowed))}.")


def _count(request) -> int:
    raw = request.query_params.get("_count")
    if raw is None:
        return DEFAULT_COUNT
    if not raw.isdigit() or not 0 <= int(raw) <= MAX_COUNT:
        raise SearchError(f"_count: a whole number from 0 (the total alone) to {MAX_COUNT}.")
    return int(raw)


def search_patients(request, patients: QuerySet) -> QuerySet:
    for name in request.query_params:
        if name not in PATIENT_PARAMS:
            raise SearchError(
                f"Patient search has no parameter {name!r} (supported: {', '.join(sorted(PATIENT_PARAMS))})."
            )
    for name, make in PATIENT_FILTERS.items():
        for value in request.query_params.getlist(name):  # repeated: all must hold (AND)
            if not value.strip():
                raise SearchError(f"{name}: empty value.")
            patients = patients.filter(make(value.strip()))
    return patients


PATIENT_READERS = [permissions.IsAuthenticated, requires("patients.view_patient")]


class PatientSearch(FhirView):
    """GET /fhir/r4/Patient: a searchset Bundle of active patients, paged by cursor."""

    permission_classes = PATIENT_READERS

    def get(self, request):
        matching = search_patients(request, list_patients(viewer=request.user))
        size = _count(request)
        _check_totals(request)
        try:
            cursor = request.query_params.get("_cursor")
            # In registration order, not the front desk's name order: a name-prefix filter then
            # finds its page among the first rows it reads, wherever the name falls in the
            # alphabet (a family name starting "You" walked 98% of a name-ordered index).
            page = (
                keyset_page(matching, FHIR_PATIENT_ORDER, cursor, size)
                if size
                else KeysetPage([], None, None)
            )
        except InvalidCursor:
            raise SearchError(
                "_cursor: not a cursor from this server; follow the Bundle's next link."
            ) from None
        base = self.base_url()
        here = request.build_absolute_uri()
        links = [{"relation": "self", "url": here}]
        if page.next_cursor:
            links.append({"relation": "next", "url": replace_query_param(here, "_cursor", page.next_cursor)})
        if page.previous_cursor:
            links.append(
                {"relation": "previous", "url": replace_query_param(here, "_cursor", page.previous_cursor)}
            )
        bundle: dict[str, Any] = {
            "resourceType": "Bundle",
            "type": "searchset",
            "timestamp": timezone.now().isoformat(),
            "link": links,
            "entry": [
                {
                    "fullUrl": f"{base}/Patient/{patient.public_id}",
                    "resource": patient_json(patient),
                    "search": {"mode": "match"},
                }
                for patient in page.rows
            ],
        }
        params = request.query_params
        if size == 0 or params.get("_total") == "accurate" or "_totalMethod" in params:
            bundle["total"] = matching.count()
        elif not params.get("_cursor") and not page.next_cursor:
            bundle["total"] = len(page.rows)  # the first page holds every match
        record_patient_search(
            by=request.user,
            query=f"FHIR {request.query_params.urlencode()}"[:150],
            status="active",
            result_count=len(page.rows),
        )
        return Response(checked(bundle))


class PatientRead(FhirView):
    """GET /fhir/r4/Patient/{id}: the patient (archived ones too, with active false)."""

    permission_classes = PATIENT_READERS

    def get(self, request, id: str):
        try:
            patient = list_patients(viewer=request.user, status="all").get(public_id=UUID(id))
        except (ValueError, Patient.DoesNotExist):
            raise exceptions.NotFound(f"No Patient with id {id!r}.") from None
        record_patient_viewed(patient=patient, by=request.user)
        response = Response(patient_resource(patient))
        response["ETag"] = f'W/"{patient.version}"'
        return response
