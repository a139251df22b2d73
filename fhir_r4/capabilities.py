"""GET /fhir/r4/metadata: the CapabilityStatement, listing exactly what this server answers."""

from __future__ import annotations

from django.conf import settings
from rest_framework.response import Response

from fhir_r4.resources import FHIR_VERSION, checked
from fhir_r4.views import DEFAULT_COUNT, MAX_COUNT, PATIENT_SEARCH_PARAMS, FhirView

PAGING_PARAMS = [
    ("_count", "number", f"Entries per page, 0 (the total alone) to {MAX_COUNT} (default {DEFAULT_COUNT})."),
]
PATIENT_REFERENCE = [
    ("patient", "reference", "Required: the patient (`<id>` or `Patient/<id>`)."),
    ("subject", "reference", "The same as patient (`Patient/<id>`)."),
]


CLINICAL = {
    "Observation": [
        *PATIENT_REFERENCE,
        ("code", "token", "`system|code`, `|code` or `code`; several separated by commas (any)."),
        ("category", "token", "exam, survey, or the US Core functional-status / cognitive-status."),
        ("date", "date", "The date of service: YYYY, YYYY-MM or YYYY-MM-DD with eq, ne, lt, gt, le, ge."),
        *PAGING_PARAMS,
    ],
    "Condition": [*PATIENT_REFERENCE, *PAGING_PARAMS],
    "Goal": [*PATIENT_REFERENCE, *PAGING_PARAMS],
    "CarePlan": [*PATIENT_REFERENCE, *PAGING_PARAMS],
    "DocumentReference": [*PATIENT_REFERENCE, *PAGING_PARAMS],
    "QuestionnaireResponse": [*PATIENT_REFERENCE, *PAGING_PARAMS],
    "Composition": [*PATIENT_REFERENCE, *PAGING_PARAMS],
}


def _resource(kind: str, params, *, search: bool = True) -> dict:
    resource: dict = {
        "type": kind,
        "interaction": [{"code": "read"}, *([{"code": "search-type"}] if search else [])],
    }
    if search:
        resource["searchParam"] = [
            {"name": name, "type": type_, "documentation": text} for name, type_, text in params
        ]
    if kind not in ("Patient", "Practitioner", "Questionnaire"):
        resource["searchInclude"] = [f"{kind}:patient", f"{kind}:subject"]
    return resource


class Metadata(FhirView):
    permission_classes: list = []  # public, as FHIR clients read it before they authenticate
    authentication_classes: list = []

    def get(self, request):
        patient = _resource("Patient", PATIENT_SEARCH_PARAMS)
        patient["operation"] = [
            {
                "name": "export",
                "definition": "http://hl7.org/fhir/uv/bulkdata/OperationDefinition/patient-export",
            }
        ]
        resources = [
            patient,
            _resource("Practitioner", [], search=False),
            _resource(
                "Questionnaire",
                [
                    ("_id", "token", "The instrument's id, e.g. moca, lawton-iadl."),
                    ("url", "uri", "The Questionnaire's canonical URL."),
                ],
            ),
            *(_resource(kind, params) for kind, params in CLINICAL.items()),
        ]
        return Response(
            checked(
                {
                    "resourceType": "CapabilityStatement",
                    "status": "active",
                    "date": "2026-12-04",
                    "publisher": settings.CLINIC_NAME,
                    "kind": "instance",
                    "software": {"name": "Buffalo OT evaluation records"},
                    "implementation": {
                        "description": f"{settings.CLINIC_NAME}: FHIR R4 read API (signed content only)",
                        "url": self.base_url(),
                    },
                    "fhirVersion": FHIR_VERSION,
                    "format": ["application/fhir+json", "json"],
                    "rest": [
                        {
                            "mode": "server",
                            "security": {
                                "description": "An API token in `Authorization: Bearer <token>` "
                                "(POST /api/v1/auth/token/). Every read is audited.",
                            },
                            "resource": resources,
                            "operation": [
                                {
                                    "name": "export",
                                    "definition": "http://hl7.org/fhir/uv/bulkdata/OperationDefinition/export",
                                    "documentation": "Bulk Data export of every patient (Prefer: respond-async; "
                                    "_type, _since); needs the export scope or permission.",
                                }
                            ],
                        }
                    ],
                }
            )
        )
