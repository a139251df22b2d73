"""The FHIRPath invariants of the R4 base resources (every error-level constraint of their
StructureDefinitions, tests/fhir/data/r4_invariants.json) hold for everything this server emits
for the demo clinic, evaluated with fhirpathpy and its R4 model. The structural validators
(fhir.resources, fhirclient) check none of them."""

import json
from functools import cache
from pathlib import Path

import pytest
from fhirpathpy import compile as fhirpath
from fhirpathpy.models import models

from evaluations.models import Evaluation
from tests.fhir.conftest import CLINICAL

pytestmark = pytest.mark.django_db
R4 = models["r4"]
# FHIR's hasValue() (fhirpathpy 2.1.0 has none): one primitive with a value, not only extensions.
PRIMITIVE = (str, int, float, bool)
OPTIONS = {
    "userInvocationTable": {
        "hasValue": {"fn": lambda inputs: len(inputs) == 1 and isinstance(inputs[0], PRIMITIVE)},
    }
}
DATA = json.loads((Path(__file__).parent / "data" / "r4_invariants.json").read_text())
CONSTRAINTS = DATA["constraints"]


@cache
def compiled(expression: str):
    return fhirpath(expression, R4, OPTIONS)


def broken(resource: dict) -> list[str]:
    """The error-level invariants the resource breaks (its own, and those of what it contains)."""
    kind = resource["resourceType"]
    failures = []
    for path, key, severity, expression in CONSTRAINTS[kind]:
        if severity != "error":
            continue
        path = path.replace("[x]", "")  # a choice element is reached by its name in FHIRPath
        full = expression if path == kind else f"{path}.all({expression})"
        result = compiled(full)(resource, {"resource": resource, "rootResource": resource})
        if result != [True]:
            failures.append(f"{kind} {key} at {path}: {result}")
    if kind == "Bundle":
        for entry in resource.get("entry", []):
            failures += broken(entry["resource"])
    return failures


def test_the_invariants_file_is_the_r4_one_and_covers_every_type_served():
    assert "4.0.1" in DATA["source"]
    assert set(CLINICAL) | {"Patient", "Practitioner", "Questionnaire", "Bundle", "OperationOutcome"} <= set(
        CONSTRAINTS
    )
    assert {"obs-6", "obs-7", "gol-1", "con-3", "qrs-1", "que-1", "bdl-7", "cmp-1"} <= {
        key for rows in CONSTRAINTS.values() for _path, key, _severity, _expression in rows
    }


def test_a_broken_invariant_is_caught():
    """The check can fail: an Observation with a component coded as itself while it has a value
    (obs-7), a Goal without a description is structurally caught elsewhere; gol-1 needs a target
    with a due date only with a measure."""
    observation = {
        "resourceType": "Observation",
        "id": "x",
        "status": "final",
        "code": {"coding": [{"system": "http://loinc.org", "code": "72172-0"}]},
        "valueQuantity": {"value": 1},
        "component": [
            {"code": {"coding": [{"system": "http://loinc.org", "code": "72172-0"}]}, "valueInteger": 1}
        ],
    }
    assert any("obs-7" in failure for failure in broken(observation))
    goal = {
        "resourceType": "Goal",
        "id": "x",
        "lifecycleStatus": "active",
        "description": {"text": "x"},
        "subject": {"reference": "Patient/x"},
        "target": [{"detailQuantity": {"value": 1}}],
    }
    assert any("gol-1" in failure for failure in broken(goal))
    empty = {"resourceType": "Observation", "id": "x", "status": "final", "code": {"text": "x"}, "method": {}}
    assert any("ele-1 at Observation.method" in failure for failure in broken(empty))
    assert broken({**empty, "method": {"text": "Goniometry"}}) == []


def test_every_resource_and_bundle_of_the_demo_clinic_keeps_the_r4_invariants(demo, get):
    fetch = get()
    patients = {evaluation.patient for evaluation in demo}
    checked = 0
    for patient in patients:
        bundle = fetch("/Patient", _id=str(patient.public_id)).json()
        assert broken(bundle) == []
        for kind in CLINICAL:
            bundle = fetch(f"/{kind}", patient=str(patient.public_id), _count=100).json()
            assert broken(bundle) == [], kind
            checked += len(bundle.get("entry", []))
            for entry in bundle.get("entry", []):
                for reference in {
                    value["reference"]
                    for value in _references(entry["resource"])
                    if value["reference"].startswith("Practitioner/")
                }:
                    assert broken(fetch(f"/{reference}").json()) == []
    for path in ("/metadata", "/Questionnaire"):
        assert broken(fetch(path).json()) == []
    assert broken(fetch("/Observation").json()) == []  # an OperationOutcome (400)
    signed = Evaluation.objects.signed().first()
    assert broken(fetch(f"/Composition/{signed.public_id}.composition").json()) == []
    assert checked > 60


def _references(node):
    if isinstance(node, dict):
        if "reference" in node and isinstance(node["reference"], str):
            yield node
        for value in node.values():
            yield from _references(value)
    elif isinstance(node, list):
        for value in node:
            yield from _references(value)
