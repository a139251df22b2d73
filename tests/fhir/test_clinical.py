"""FHIR R4 Observation, Goal, CarePlan, DocumentReference, Condition and Practitioner from the
demo clinic's signed evaluations: every resource checked against both R4 models and the R4
invariants the validators do not check, searches and paging, drafts never served, a broken seal
withheld, the signed report over the API, and fhirpy and fhirclient against a live server."""

import re
from datetime import date

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from accounts.services import issue_api_token
from audit.models import AuditEvent
from evaluations.models import Evaluation, GripMeasurement
from tests.fhir.conftest import CLINICAL
from tests.fhir.test_patient import valid

pytestmark = pytest.mark.django_db
BASE = "/fhir/r4"
UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"


def invariants(resource: dict) -> None:
    """R4 rules neither validator checks (observation.html obs-6, obs-7; goal, care plan states)."""
    kind = resource["resourceType"]
    if kind == "Observation":
        has_value = any(key.startswith("value") for key in resource)
        assert not (has_value and "dataAbsentReason" in resource)  # obs-6
        if has_value:  # obs-7: no component with the Observation's own code
            own = {(c["system"], c["code"]) for c in resource["code"]["coding"]}
            for component in resource.get("component", []):
                assert not own & {(c["system"], c["code"]) for c in component["code"]["coding"]}
        assert resource["status"] == "final"
        assert has_value or resource.get("hasMember"), "an Observation says something"
        for concept in [resource["code"], *resource["category"]]:
            assert concept["text"] and all(c["system"] and c["code"] for c in concept["coding"])
        quantity = resource.get("valueQuantity")
        if quantity:
            assert quantity["system"] == "http://unitsofmeasure.org" and quantity["code"]
    if kind == "Goal":
        assert resource["lifecycleStatus"] in {"active", "completed", "cancelled"}
    if kind == "CarePlan":
        assert (resource["status"], resource["intent"]) in {("active", "plan"), ("completed", "plan")}
    if kind == "Composition":
        assert resource["status"] in {"final", "amended"}
        for section in resource["section"]:
            assert section["text"]["div"].startswith('<div xmlns="http://www.w3.org/1999/xhtml">')
            for entry in section.get("entry", []):
                assert entry["reference"].split("/")[1].startswith(resource["id"][:36])
    if kind == "DocumentReference":
        assert resource["docStatus"] in {"final", "amended"}
    for reference in re.findall(r"'reference': '([^']+)'", str(resource)):
        assert re.fullmatch(
            r"(Patient|Practitioner|Goal|Observation|CarePlan|QuestionnaireResponse)/[A-Za-z0-9\-.]{1,64}",
            reference,
        )


def everything(fetch, patient, kind):
    bundle = valid(fetch(f"/{kind}", patient=str(patient.public_id), _count=100).json())
    assert bundle["total"] == len(bundle.get("entry", []))
    return [entry["resource"] for entry in bundle.get("entry", [])]


def test_every_resource_of_the_demo_clinic_validates_and_reads_back(demo, get):
    fetch = get()
    patients = {evaluation.patient for evaluation in demo}
    signed_ids = {str(evaluation.public_id) for evaluation in demo}
    seen: dict[str, int] = {}
    for patient in patients:
        for kind in CLINICAL:
            for resource in everything(fetch, patient, kind):
                valid(resource)
                invariants(resource)
                seen[kind] = seen.get(kind, 0) + 1
                if kind != "Condition":  # only signed content, never a draft's
                    assert resource["id"][:36] in signed_ids
                read = fetch(f"/{kind}/{resource['id']}")
                assert read.status_code == 200 and read.json() == resource
                for reference in re.findall(r"'reference': '(Practitioner/[^']+)'", str(resource)):
                    assert valid(fetch(f"/{reference}").json())["resourceType"] == "Practitioner"
    assert seen["Observation"] > 40 and all(seen.get(kind) for kind in CLINICAL), seen


def test_questionnaires_come_from_the_instrument_registry_and_responses_answer_them(demo, get):
    from evaluations.instruments import registry

    fetch = get()
    bundle = valid(fetch("/Questionnaire").json())
    questionnaires = {entry["resource"]["url"]: entry["resource"] for entry in bundle["entry"]}
    assert len(questionnaires) == len(registry.instruments())
    moca = valid(fetch("/Questionnaire/moca").json())
    assert [item["linkId"] for item in moca["item"]][:-2] == [item.key for item in registry.get("moca").items]
    assert moca["code"][0]["code"] == "72172-0"
    assert valid(fetch("/Questionnaire", url=moca["url"]).json())["total"] == 1
    assert fetch("/Questionnaire", status="active").status_code == 400
    assert fetch("/Questionnaire/nope").status_code == 404
    patient = demo.first().patient
    responses = everything(fetch, patient, "QuestionnaireResponse")
    assert responses
    observations = {o["id"]: o for o in everything(fetch, patient, "Observation")}
    for response in responses:
        questionnaire = questionnaires[response["questionnaire"]]
        options = {
            item["linkId"]: {o["valueCoding"]["code"] for o in item.get("answerOption", [])}
            for item in questionnaire["item"]
        }
        for item in response["item"]:  # every answer is one of its item's options
            assert item["linkId"] in options
            coding = item["answer"][0].get("valueCoding")
            assert coding is None or coding["code"] in options[item["linkId"]]
        derived = [
            o
            for o in observations.values()
            if {"reference": f"QuestionnaireResponse/{response['id']}"} in o.get("derivedFrom", [])
        ]
        assert len(derived) == 1  # the instrument's total, derived from what was recorded
    assert any(len(r["item"]) > 2 for r in responses)  # one entered item by item


def test_observations_carry_codes_units_sides_and_scores(demo, get):
    fetch = get()
    grip = (
        GripMeasurement.objects.filter(evaluation__in=demo, hand="right").select_related("evaluation").first()
    )
    patient = grip.evaluation.patient
    observations = everything(fetch, patient, "Observation")
    right = next(o for o in observations if o["id"] == f"{grip.evaluation.public_id}.grip.{grip.pk}")
    assert {
        "system": "http://loinc.org",
        "code": "83174-3",
        "display": "Grip strength Hand - right Dynamometer",
    } in (right["code"]["coding"])
    assert right["valueQuantity"]["code"] == "kgf"
    assert [c["valueQuantity"]["value"] for c in right["component"]] == [float(t) for t in grip.trials]
    laterality = right["bodySite"]["extension"][0]["valueCodeableConcept"]["coding"][0]
    assert (laterality["code"], right["bodySite"]["text"]) == ("24028007", "Right hand")
    assert right["referenceRange"][0]["text"] and right["interpretation"][0]["text"]
    moca = [o for o in observations if "MoCA" in o["code"]["text"]]
    panel = next(o for o in moca if o["code"]["coding"][0]["code"] == "72133-2")
    total = next(o for o in moca if o["code"]["coding"][0]["code"] == "72172-0")
    assert panel["hasMember"][0]["reference"] in {f"Observation/{o['id']}" for o in moca}
    assert total["valueQuantity"]["code"] == "{score}"
    categories = {c["code"] for o in observations for cat in o["category"] for c in cat["coding"]}
    assert categories == {"exam", "survey", "functional-status", "cognitive-status"}


def test_observation_search_parameters(demo, get):
    fetch = get()
    patient = demo.first().patient
    every = everything(fetch, patient, "Observation")

    def ids(**params):
        response = fetch("/Observation", patient=f"Patient/{patient.public_id}", _count=100, **params)
        assert response.status_code == 200, response.json()
        return {entry["resource"]["id"] for entry in valid(response.json()).get("entry", [])}

    right_grip = {o["id"] for o in every if o["code"]["coding"][0]["code"] == "83174-3"}
    assert right_grip and ids(code="http://loinc.org|83174-3") == right_grip
    assert ids(code="83174-3,83173-5") > right_grip
    assert ids(code="http://other.example|83174-3") == set()
    surveys = {
        o["id"] for o in every if any(c["code"] == "survey" for cat in o["category"] for c in cat["coding"])
    }
    assert ids(category="survey") == surveys
    days = sorted({o["effectiveDateTime"] for o in every})
    assert len(days) > 1
    assert ids(date=days[0]) == {o["id"] for o in every if o["effectiveDateTime"] == days[0]}
    assert ids(date=f"gt{days[0]}") == {o["id"] for o in every if o["effectiveDateTime"] > days[0]}
    assert ids(date=f"ge{days[0][:4]}", category="exam") <= ids(category="exam")
    included = valid(
        fetch("/Observation", patient=str(patient.public_id), _include="Observation:patient").json()
    )
    assert [e["search"]["mode"] for e in included["entry"]].count("include") == 1
    assert included["entry"][-1]["resource"]["id"] == str(patient.public_id)


@pytest.mark.parametrize(
    "params,message",
    [
        ({}, "needs patient"),
        ({"patient": "x", "status": "final"}, "no parameter 'status'"),
        ({"patient": "x", "date": "yesterday"}, "is not a date"),
        ({"patient": "x", "date": "2026-02-30"}, "is not a date"),
        ({"patient": "x", "_include": "Observation:performer"}, "not supported"),
        ({"patient": "Practitioner/x"}, "not a Patient reference"),
        ({"patient": "x", "_count": "1000"}, "_count"),
        ({"patient": "x", "_cursor": "forged"}, "_cursor"),
        ({"patient": "x", "code": "http://loinc.org|"}, "has no code"),
    ],
)
def test_bad_searches_are_400_operation_outcomes(demo, get, params, message):
    patient = demo.first().patient
    params = {k: (str(patient.public_id) if v == "x" else v) for k, v in params.items()}
    response = get()("/Observation", **params)
    assert response.status_code == 400
    outcome = valid(response.json())
    assert message in outcome["issue"][0]["diagnostics"]


def test_paging_follows_next_links_without_loss_or_repeat(demo, get):
    fetch = get()
    patient = demo.first().patient
    every = [o["id"] for o in everything(fetch, patient, "Observation")]
    seen, url, pages = [], f"{BASE}/Observation?patient={patient.public_id}&_count=7", 0
    while url:
        bundle = valid(fetch(url).json())
        seen += [entry["resource"]["id"] for entry in bundle["entry"]]
        url = next((link["url"] for link in bundle["link"] if link["relation"] == "next"), None)
        pages += 1
    assert seen == every and pages == -(-len(every) // 7)


def test_drafts_are_never_served_and_unknown_ids_are_404(demo, get):
    fetch = get()
    draft = Evaluation.objects.drafts().first()
    signed = demo.first()
    row = draft.grip_measurements.first() or draft.goals.first()
    assert fetch(f"/Observation/{draft.public_id}.grip.{getattr(row, 'pk', 1)}").status_code == 404
    assert fetch(f"/CarePlan/{draft.public_id}.plan").status_code == 404
    assert fetch(f"/DocumentReference/{draft.public_id}.report").status_code == 404
    assert fetch(f"/Observation/{signed.public_id}.grip.999999").status_code == 404
    assert fetch("/Observation/not-an-id").status_code == 404
    assert fetch(f"/Condition/{signed.patient.public_id}.Z99.99").status_code == 404
    assert fetch("/Practitioner/npi-0000000000").status_code == 404
    assert fetch(f"/Practitioner/{User.objects.get(username='frontdesk').public_id}").status_code == 404


def test_the_front_desk_reads_diagnoses_but_no_evaluation_content(demo, get):
    fetch = get("frontdesk")
    patient = demo.first().patient
    assert fetch("/Condition", patient=str(patient.public_id)).status_code == 200
    for kind in ("Observation", "Goal", "CarePlan", "DocumentReference"):
        response = fetch(f"/{kind}", patient=str(patient.public_id))
        assert response.status_code == 403 and valid(response.json())["issue"][0]["code"] == "forbidden"
    observation = everything(get(), patient, "Observation")[0]
    assert fetch(f"/Observation/{observation['id']}").status_code == 403


def test_searches_and_reads_are_audited_on_channel_fhir(demo, get):
    fetch = get()
    patient = demo.first().patient
    before = AuditEvent.objects.count()
    observation = everything(fetch, patient, "Observation")[0]
    fetch(f"/Observation/{observation['id']}")
    events = list(AuditEvent.objects.order_by("id")[before:])
    assert [(e.channel, e.patient_public_id) for e in events] == [("fhir", patient.public_id)] * 2
    assert events[0].record_label == "FHIR Observation search"


def test_a_search_makes_the_same_number_of_queries_for_one_or_many_evaluations(demo, get):
    fetch = get()
    counts = {}
    by_patient = {}
    for evaluation in demo:
        by_patient.setdefault(evaluation.patient, []).append(evaluation)
    many = max(by_patient, key=lambda p: len(by_patient[p]))
    assert len(by_patient[many]) > 1
    one = Evaluation.objects.filter(pk=by_patient[many][-1].pk)
    for label, patient in (("many", many),):
        with CaptureQueriesContext(connection) as queries:
            fetch("/Observation", patient=str(patient.public_id))
        counts[label] = len(queries)
    # the same patient with one signed evaluation left: the others back to drafts in the database
    Evaluation.objects.filter(patient=many).signed().exclude(pk__in=one).update(
        status="draft", signed_at=None, signed_by=None
    )
    with CaptureQueriesContext(connection) as queries:
        assert fetch("/Observation", patient=str(many.public_id)).status_code == 200
    assert len(queries) == counts["many"]


def test_a_broken_seal_withholds_the_evaluation_and_says_so(demo, get):
    fetch = get()
    grip = GripMeasurement.objects.filter(evaluation__in=demo).select_related("evaluation__patient").first()
    GripMeasurement.objects.filter(pk=grip.pk).update(trial_1_kg=grip.trial_1_kg + 10)  # behind our back
    patient = grip.evaluation.patient
    bundle = valid(fetch("/Observation", patient=str(patient.public_id), _count=100).json())
    ids = [entry["resource"].get("id", "") for entry in bundle["entry"]]
    assert not any(i.startswith(str(grip.evaluation.public_id)) for i in ids)
    outcome = bundle["entry"][-1]
    assert outcome["search"]["mode"] == "outcome" and "seal" in outcome["resource"]["issue"][0]["diagnostics"]
    response = fetch(f"/Observation/{grip.evaluation.public_id}.grip.{grip.pk}")
    assert response.status_code == 409 and valid(response.json())["issue"][0]["code"] == "conflict"


def test_the_care_plan_in_force_is_the_newest_signed_one(demo, get):
    fetch = get()
    patient = max(
        {e.patient for e in demo}, key=lambda p: Evaluation.objects.filter(patient=p).signed().count()
    )
    plans = everything(fetch, patient, "CarePlan")
    assert [plan["status"] for plan in plans][:1] == ["active"]
    assert all(plan["status"] == "completed" for plan in plans[1:]) and len(plans) > 1
    for plan in plans:
        assert fetch(f"/CarePlan/{plan['id']}").json()["status"] == plan["status"]
        for goal in plan.get("goal", []):
            assert fetch(f"/{goal['reference']}").status_code == 200


# --- The signed report over the API ------------------------------------------------------------


def test_the_signed_report_is_served_to_a_token_and_the_document_reference_points_at_it(demo, client):
    therapist = User.objects.get(username="therapist")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {issue_api_token(user=therapist)[1]}"}
    signed = demo.first()
    document = client.get(f"{BASE}/DocumentReference/{signed.public_id}.report", **headers).json()
    url = document["content"][0]["attachment"]["url"]
    assert url == f"http://testserver/api/v1/evaluations/{signed.public_id}/report.pdf"
    before = AuditEvent.objects.count()
    response = client.get(url, **headers, HTTP_ACCEPT="application/pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF") and "no-store" in response["Cache-Control"]
    assert AuditEvent.objects.filter(pk__gt=0).count() > before
    draft = Evaluation.objects.drafts().first()
    refused = client.get(
        f"/api/v1/evaluations/{draft.public_id}/report.pdf", **headers, HTTP_ACCEPT="application/pdf"
    )
    assert (refused.status_code, refused["Content-Type"], refused.json()["code"]) == (
        409,
        "application/json",
        "not_signed",
    )
    assert client.get(url).status_code == 401
    front_desk = {
        "HTTP_AUTHORIZATION": f"Token {issue_api_token(user=User.objects.get(username='frontdesk'))[1]}"
    }
    assert client.get(url, **front_desk).status_code == 403
    assert (
        client.get(f"/api/v1/evaluations/{signed.patient.public_id}/report.pdf", **headers).status_code == 404
    )


# --- Real FHIR clients against a live server --------------------------------------------------


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("live_db")
def test_fhirpy_reads_the_demo_clinics_signed_evaluations(live_server, settings):
    from fhirpy import SyncFHIRClient

    settings.ALLOW_DEMO_DATA = True
    call_command("seed_demo")
    token = issue_api_token(user=User.objects.get(username="therapist"))[1]
    client = SyncFHIRClient(f"{live_server.url}/fhir/r4", authorization=f"Bearer {token}")
    patient_id = str(Evaluation.objects.signed().first().patient.public_id)
    every = client.resources("Observation").search(patient=patient_id).limit(10).fetch_all()
    assert len(every) > 40 and len({o.id for o in every}) == len(every)
    grips = (
        client.resources("Observation").search(patient=patient_id, code="http://loinc.org|83174-3").fetch()
    )
    assert grips and all(o["valueQuantity"]["code"] == "kgf" for o in grips)
    with_patient = (
        client.resources("Observation").search(patient=patient_id).include("Observation", "patient")
    )
    raw = with_patient.limit(5).fetch_raw()
    assert raw.entry[-1].resource.resourceType == "Patient"
    first = client.reference("Observation", every[0].id).to_resource()
    assert first["subject"]["reference"] == f"Patient/{patient_id}"
    goals = client.resources("Goal").search(patient=patient_id).fetch_all()
    documents = client.resources("DocumentReference").search(patient=patient_id).fetch_all()
    assert (
        goals and documents and documents[0]["content"][0]["attachment"]["contentType"] == "application/pdf"
    )
    assert date.fromisoformat(documents[0]["context"]["period"]["start"])


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("live_db")
def test_fhirclient_reads_and_parses_observations_goals_plans_and_reports(live_server, settings):
    from fhirclient import client as smart_client
    from fhirclient.models.careplan import CarePlan
    from fhirclient.models.documentreference import DocumentReference
    from fhirclient.models.observation import Observation

    settings.ALLOW_DEMO_DATA = True
    call_command("seed_demo")
    signed = Evaluation.objects.signed().first()
    smart = smart_client.FHIRClient(
        settings={"app_id": "buffalo-ot-test", "api_base": f"{live_server.url}/fhir/r4"}
    )
    try:
        smart.prepare()
        smart.server.session.headers["Authorization"] = (
            f"Bearer {issue_api_token(user=User.objects.get(username='therapist'))[1]}"
        )
        search = Observation.where(struct={"patient": str(signed.patient.public_id), "_count": "100"})
        observations = list(search.perform_resources_iter(smart.server))
        report = DocumentReference.read(f"{signed.public_id}.report", smart.server)
        plan = CarePlan.read(f"{signed.public_id}.plan", smart.server)
    finally:
        smart.server.session.close()
    assert len(observations) > 40 and all(o.status == "final" for o in observations)
    assert report.content[0].attachment.contentType == "application/pdf"
    assert plan.intent == "plan" and plan.subject.reference == f"Patient/{signed.patient.public_id}"


def test_typed_text_stays_text_in_the_composition(demo, get):
    """What a clinician typed is escaped into the narrative, never markup of ours."""
    from evaluations.models import Addendum

    signed = demo.first()
    hostile = '<img src=x onerror="alert(1)"><script>fetch("//evil")</script> & <b>bold</b>'
    Addendum.objects.create(
        evaluation=signed, author=signed.therapist, text=hostile
    )  # addenda are not sealed
    composition = valid(get()(f"/Composition/{signed.public_id}.composition").json())
    assert composition["status"] == "amended"
    div = composition["section"][-1]["text"]["div"]
    assert "<script" not in div and "<img" not in div and "<b>bold" not in div
    assert "&lt;script&gt;" in div and "&lt;img src=x" in div and "&amp;" in div
