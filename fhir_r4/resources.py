"""Our records as FHIR R4 resources, each built as JSON and checked against the R4 model of
fhir.resources (its R4B package, which equals R4 for every resource used here) before it leaves.

Never import from the top-level `fhir.resources` package: that is R5."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from fhir.resources.R4B import get_fhir_model_class

from patients.models import Patient

FHIR_VERSION = "4.0.1"
IDENTIFIER_TYPE = "http://terminology.hl7.org/CodeSystem/v2-0203"


def mrn_system() -> str:
    """The MRN's identifier system: a URI of the clinic's own (setting FHIR_SYSTEM_BASE)."""
    return f"{settings.FHIR_SYSTEM_BASE}/mrn"


def checked(resource: dict[str, Any]) -> dict[str, Any]:
    """The resource as R4 JSON, after the R4 model has accepted it (pydantic ValidationError if not:
    a bug of ours, never the client's)."""
    model = get_fhir_model_class(resource["resourceType"]).model_validate(resource)
    return model.model_dump(mode="json")


def patient_resource(patient: Patient) -> dict[str, Any]:
    """The patient, checked (a read)."""
    return checked(patient_json(patient))


def patient_json(patient: Patient) -> dict[str, Any]:
    """The patient as R4 JSON, not yet checked: a search's Bundle is checked whole, entries and all."""
    names: list[dict[str, Any]] = [
        {"use": "official", "family": patient.family_name, "given": [patient.given_name]}
    ]
    if patient.preferred_name:
        names.append({"use": "usual", "given": [patient.preferred_name]})
    telecom = []
    if patient.phone:
        telecom.append({"system": "phone", "value": patient.phone.as_e164, "use": "home"})
    if patient.email:
        telecom.append({"system": "email", "value": patient.email, "use": "home"})
    resource: dict[str, Any] = {
        "resourceType": "Patient",
        "id": str(patient.public_id),
        "meta": {"versionId": str(patient.version), "lastUpdated": patient.updated_at.isoformat()},
        "identifier": [
            {
                "use": "usual",
                "type": {
                    "coding": [{"system": IDENTIFIER_TYPE, "code": "MR"}],
                    "text": "Medical record number",
                },
                "system": mrn_system(),
                "value": patient.mrn,
            }
        ],
        "active": not patient.is_archived,
        "name": names,
        "gender": patient.sex,  # stored as FHIR administrative-gender codes
        "birthDate": patient.date_of_birth.isoformat(),
    }
    if telecom:
        resource["telecom"] = telecom
    lines = [line for line in (patient.address_line1, patient.address_line2) if line]
    address = {
        key: value
        for key, value in (
            ("line", lines),
            ("city", patient.city),
            ("state", patient.state),
            ("postalCode", patient.postal_code),
        )
        if value
    }
    if address:
        resource["address"] = [{"use": "home", **address, "country": "US"}]
    if patient.preferred_language and patient.preferred_language != "other":
        resource["communication"] = [
            {
                "language": {
                    "coding": [{"system": "urn:ietf:bcp:47", "code": patient.preferred_language}],
                    "text": patient.get_preferred_language_display(),
                },
                "preferred": True,
            }
        ]
    return resource


def operation_outcome(code: str, diagnostics: str, severity: str = "error") -> dict[str, Any]:
    """An OperationOutcome with one issue (codes: http://hl7.org/fhir/R4/valueset-issue-type.html)."""
    return checked(
        {
            "resourceType": "OperationOutcome",
            "issue": [{"severity": severity, "code": code, "diagnostics": diagnostics}],
        }
    )
