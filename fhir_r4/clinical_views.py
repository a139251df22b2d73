"""FHIR R4 read and search of what signed evaluations hold (Observation, Goal, CarePlan,
DocumentReference), the patient's diagnoses (Condition) and the clinicians (Practitioner).

Searches are per patient (`patient=` or `subject=Patient/…`): a clinic-wide read of clinical data
is a bulk export, not a search. A patient's signed evaluations are read in a fixed number of
queries (evaluations.selectors.signed_records_of), checked against their seals, and built in
memory; an evaluation whose seal fails is withheld, and the Bundle says so in an OperationOutcome
entry. Paging is by cursor over the order newest evaluation first, then the order of the record."""

from __future__ import annotations

from datetime import date
from typing import Any, cast
from uuid import UUID

from django.core import signing
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils import timezone
from rest_framework import exceptions, permissions, status
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

from accounts.models import User
from audit.services import record_list_read
from common.api import requires
from episodes.models import Certification, Episode
from evaluations.instruments import registry
from evaluations.models import Evaluation
from evaluations.seal import SealState
from evaluations.selectors import fetch_record, signed_records_of
from evaluations.services import record_evaluation_access_denied, record_evaluation_viewed, verify_seal
from fhir_r4.clinical import (
    Built,
    EvaluationResources,
    conditions,
    questionnaire,
    referring_physician,
    therapist,
)
from fhir_r4.resources import checked, operation_outcome, patient_json
from fhir_r4.views import PATIENT_READERS, FhirView, SearchError, _count, _date_range
from patients.models import Patient
from patients.selectors import list_patients
from patients.services import record_patient_viewed

CONTENT_READERS = [
    permissions.IsAuthenticated,
    requires("evaluations.view_evaluation"),
    requires("patients.view_clinical"),
]
CURSOR_SALT = "fhir_r4.clinical.cursor"
PAGING = {"_count", "_cursor", "_total", "_include"}
PATIENT_PARAMS = {"patient", "subject"}
OBSERVATION_PARAMS = {"code", "category", "date"}


class IntegrityWithheld(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"
    default_detail = (
        "The signed content of this evaluation no longer matches its seal: it is withheld until "
        "the clinic has checked it."
    )


def _patient_id(text: str) -> UUID | None:
    """`<id>`, `Patient/<id>` or an absolute `…/Patient/<id>`: the patient's id, or None."""
    tail = text.rstrip("/").rsplit("/", 2)
    if len(tail) > 1 and tail[-2] != "Patient":
        raise SearchError(f"patient: {text!r} is not a Patient reference.")
    try:
        return UUID(tail[-1])
    except ValueError:
        return None


def _tokens(text: str, name: str) -> list[tuple[str | None, str]]:
    """A token search value: codes separated by commas (any may match), each `system|code`,
    `|code` (a code without a system) or `code` (in any system)."""
    found: list[tuple[str | None, str]] = []
    for part in text.split(","):
        system, bar, code = part.strip().rpartition("|")
        if not code:
            raise SearchError(f"{name}: {part!r} has no code.")
        found.append((system if bar else None, code))
    return found


def _matches(tokens: list[tuple[str | None, str]], codings: frozenset[tuple[str, str]]) -> bool:
    return any(
        (system is None and any(code == c for _s, c in codings)) or (system, code) in codings
        for system, code in tokens
    )


def _on(day: date, text: str) -> bool:
    prefix, start, end = _date_range(text, "date")
    return {
        "eq": start <= day <= end,
        "ne": not start <= day <= end,
        "lt": day < start,
        "gt": day > end,
        "le": day <= end,
        "ge": day >= start,
    }[prefix]


class ClinicalSearch(FhirView):
    """GET /fhir/r4/<type>?patient=…: a searchset Bundle of one patient's resources."""

    permission_classes = CONTENT_READERS
    resource_type = ""
    filters: frozenset[str] = frozenset()

    def get(self, request):
        params = request.query_params
        allowed = PATIENT_PARAMS | PAGING | self.filters
        for name in params:
            if name not in allowed:
                raise SearchError(
                    f"{self.resource_type} search has no parameter {name!r} "
                    f"(supported: {', '.join(sorted(allowed))})."
                )
        references = [value for name in ("patient", "subject") for value in params.getlist(name)]
        if not references:
            raise SearchError(
                f"{self.resource_type} search needs patient (or subject=Patient/<id>): clinic-wide "
                "clinical data is read with a bulk export."
            )
        ids = {_patient_id(value.strip()) for value in references}
        includes = params.getlist("_include")
        for value in includes:
            if value not in (f"{self.resource_type}:patient", f"{self.resource_type}:subject"):
                raise SearchError(
                    f"_include: {value!r} is not supported (only {self.resource_type}:patient)."
                )
        for value in params.getlist("date"):
            _date_range(value, "date")  # a bad date is a 400 even when nothing matches
        size = _count(request)
        patient = None
        if len(ids) == 1 and None not in ids:
            patient = (
                list_patients(viewer=request.user, status="all")
                .filter(public_id=cast(UUID, ids.pop()))
                .first()
            )
        found, withheld = self.resources(patient) if patient is not None else ([], [])
        found = [built for built in found if self.keep(built, params)]
        entries, more = self.page(found, size)
        base = self.base_url()
        here = request.build_absolute_uri()
        links = [{"relation": "self", "url": here}]
        if more:
            links.append(
                {"relation": "next", "url": replace_query_param(here, "_cursor", self.cursor(entries[-1]))}
            )
        bundle: dict[str, Any] = {
            "resourceType": "Bundle",
            "type": "searchset",
            "timestamp": timezone.now().isoformat(),
            "total": len(found),
            "link": links,
            "entry": [
                {
                    "fullUrl": f"{base}/{built.type}/{built.id}",
                    "resource": built.resource,
                    "search": {"mode": "match"},
                }
                for _key, built in entries
            ],
        }
        if includes and patient is not None and entries:
            bundle["entry"].append(
                {
                    "fullUrl": f"{base}/Patient/{patient.public_id}",
                    "resource": patient_json(patient),
                    "search": {"mode": "include"},
                }
            )
        if withheld:
            bundle["entry"].append(
                {
                    "resource": operation_outcome(
                        "conflict",
                        f"{withheld} signed evaluation(s) of this patient no longer match their seal and are "
                        "withheld until the clinic has checked them.",
                        severity="warning",
                    ),
                    "search": {"mode": "outcome"},
                }
            )
        if patient is not None:
            record_list_read(
                actor=request.user,
                record_type=Evaluation._meta.label_lower,
                label=f"FHIR {self.resource_type} search",
                patient_public_ids=[patient.public_id],
                patient_public_id=patient.public_id,
            )
        return Response(checked(bundle))

    def resources(self, patient: Patient) -> tuple[list[tuple[tuple, Built]], int]:
        """The patient's resources of this type, each with its place in the order; and how many
        evaluations were withheld because their seal failed."""
        viewer = cast(User, self.request.user)
        records = signed_records_of(viewer=viewer, patient=patient)
        origin = self.request.build_absolute_uri("/").rstrip("/")
        found: list[tuple[tuple, Built]] = []
        withheld = 0
        for index, record in enumerate(records):
            if verify_seal(record=record, by=viewer).state != SealState.INTACT:
                withheld += 1
                continue
            evaluation = record.evaluation
            place = (-evaluation.date_of_service.toordinal(), -evaluation.pk)
            built = EvaluationResources(record, origin, current=index == 0).of_type(self.resource_type)
            found += [((*place, index), item) for index, item in enumerate(built)]
        return found, withheld

    def keep(self, item: tuple[tuple, Built], params) -> bool:
        return True

    def page(self, found: list[tuple[tuple, Built]], size: int) -> tuple[list[tuple[tuple, Built]], bool]:
        """The page after the cursor, and whether more follow."""
        raw = self.request.query_params.get("_cursor")
        if raw:
            try:
                after = tuple(signing.loads(raw, salt=CURSOR_SALT))
            except (signing.BadSignature, TypeError, ValueError):
                raise SearchError(
                    "_cursor: not a cursor from this server; follow the Bundle's next link."
                ) from None
            found = [item for item in found if item[0] > after]
        return found[:size], len(found) > size

    def cursor(self, item: tuple[tuple, Built]) -> str:
        return signing.dumps(list(item[0]), salt=CURSOR_SALT)


class ObservationSearch(ClinicalSearch):
    resource_type = "Observation"
    filters = frozenset(OBSERVATION_PARAMS)

    def keep(self, item: tuple[tuple, Built], params) -> bool:
        built = item[1]
        for value in params.getlist("code"):
            if not _matches(_tokens(value, "code"), built.codes):
                return False
        for value in params.getlist("category"):
            if not _matches(_tokens(value, "category"), built.categories):
                return False
        effective = date.fromisoformat(built.resource["effectiveDateTime"])
        return all(_on(effective, value) for value in params.getlist("date"))


class ConditionSearch(ClinicalSearch):
    resource_type = "Condition"
    permission_classes = PATIENT_READERS

    def resources(self, patient: Patient) -> tuple[list[tuple[tuple, Built]], int]:
        return [((index,), built) for index, built in enumerate(conditions(patient))], 0


def _owner_id(id: str, missing: exceptions.NotFound) -> UUID:
    """The evaluation's (or patient's) public id that a resource id starts with; else 404."""
    try:
        return UUID(id[:36])
    except ValueError:
        raise missing from None


class ClinicalRead(FhirView):
    """GET /fhir/r4/<type>/<evaluation id>.<kind>.<row>: one resource of a signed evaluation."""

    permission_classes = CONTENT_READERS
    resource_type = ""

    def get(self, request, id: str):
        missing = exceptions.NotFound(f"No {self.resource_type} with id {id!r}.")
        public_id = _owner_id(id, missing)
        if not Evaluation.objects.filter(public_id=public_id).signed().exists():
            raise missing  # drafts are never served
        try:
            record = fetch_record(viewer=request.user, public_id=public_id)
        except Evaluation.DoesNotExist:
            raise missing from None
        except PermissionDenied:
            record_evaluation_access_denied(public_id=public_id, by=request.user)
            raise
        if verify_seal(record=record, by=request.user).state != SealState.INTACT:
            raise IntegrityWithheld()
        origin = request.build_absolute_uri("/").rstrip("/")
        evaluation = record.evaluation
        newer = (
            Evaluation.objects.signed()
            .filter(patient=evaluation.patient_id)
            .filter(
                Q(date_of_service__gt=evaluation.date_of_service)
                | Q(date_of_service=evaluation.date_of_service, pk__gt=evaluation.pk)
            )
        )
        resources = EvaluationResources(record, origin, current=not newer.exists())
        built = next((b for b in resources.of_type(self.resource_type) if b.id == id), None)
        if built is None:
            raise missing
        record_evaluation_viewed(evaluation=record.evaluation, by=request.user)
        return Response(checked(built.resource))


class QuestionnaireSearch(FhirView):
    """GET /fhir/r4/Questionnaire: the standardized instruments, generated from the registry."""

    permission_classes = [permissions.IsAuthenticated]

    def get(self, request):
        for name in request.query_params:
            if name not in ("url", "_id"):
                raise SearchError(f"Questionnaire search has no parameter {name!r} (supported: _id, url).")
        found = [questionnaire(instrument) for instrument in registry.instruments().values()]
        for name, field in (("url", "url"), ("_id", "id")):
            for value in request.query_params.getlist(name):
                wanted = {part.strip().split("|")[0] for part in value.split(",")}
                found = [resource for resource in found if resource[field] in wanted]
        base = self.base_url()
        return Response(
            checked(
                {
                    "resourceType": "Bundle",
                    "type": "searchset",
                    "timestamp": timezone.now().isoformat(),
                    "total": len(found),
                    "link": [{"relation": "self", "url": request.build_absolute_uri()}],
                    "entry": [
                        {
                            "fullUrl": f"{base}/Questionnaire/{resource['id']}",
                            "resource": resource,
                            "search": {"mode": "match"},
                        }
                        for resource in found
                    ],
                }
            )
        )


class QuestionnaireRead(FhirView):
    permission_classes = [permissions.IsAuthenticated]

    def get(self, request, id: str):
        found = next((i for i in registry.instruments().values() if questionnaire(i)["id"] == id), None)
        if found is None:
            raise exceptions.NotFound(f"No Questionnaire with id {id!r}.")
        return Response(checked(questionnaire(found)))


class ConditionRead(FhirView):
    """GET /fhir/r4/Condition/<patient id>.<ICD-10-CM code>."""

    permission_classes = PATIENT_READERS

    def get(self, request, id: str):
        missing = exceptions.NotFound(f"No Condition with id {id!r}.")
        public_id = _owner_id(id, missing)
        patient = list_patients(viewer=request.user, status="all").filter(public_id=public_id).first()
        built = next((b for b in conditions(patient) if b.id == id), None) if patient else None
        if built is None or patient is None:
            raise missing
        record_patient_viewed(patient=patient, by=request.user)
        return Response(checked(built.resource))


class PractitionerRead(FhirView):
    """GET /fhir/r4/Practitioner/<id>: a clinician of the clinic (by id) who has evaluated a
    patient, or a referring physician (`npi-<NPI>`) named on a patient or an episode."""

    permission_classes = PATIENT_READERS

    def get(self, request, id: str):
        missing = exceptions.NotFound(f"No Practitioner with id {id!r}.")
        if id.startswith("npi-"):
            npi = id.removeprefix("npi-")
            name = _referrer_name(npi) if npi.isdigit() and len(npi) == 10 else None
            if name is None:
                raise missing
            return Response(checked(referring_physician(npi, name)))
        try:
            public_id = UUID(id)
        except ValueError:
            raise missing from None
        user = User.objects.filter(public_id=public_id).first()
        if user is None or not Evaluation.objects.filter(Q(therapist=user) | Q(signed_by=user)).exists():
            raise missing
        return Response(checked(therapist(user)))


def _referrer_name(npi: str) -> str | None:
    """The name given with this NPI on a patient, an episode or a certification; None if none has it."""
    for model, name_field, npi_field in (
        (Patient, "referring_physician_name", "referring_physician_npi"),
        (Episode, "referring_physician_name", "referring_physician_npi"),
        (Certification, "physician_name", "physician_npi"),
    ):
        row = model.objects.filter(**{npi_field: npi}).values_list(name_field, flat=True).first()
        if row is not None:
            return row
    return None
