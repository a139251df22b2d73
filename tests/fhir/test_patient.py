"""FHIR R4 Patient read and search, the CapabilityStatement and errors as OperationOutcome: every
resource checked against two independent R4 models (fhir.resources R4B and fhirclient's 4.0.1),
and two real FHIR clients (fhirpy, fhirclient) reading from a live server."""

import datetime

import pytest
from fhir.resources.R4B import get_fhir_model_class
from fhirclient.models.fhirelementfactory import FHIRElementFactory

from accounts.services import issue_api_token
from audit.models import AuditEvent
from fhir_r4.resources import mrn_system
from patients.models import Patient
from tests.factories import PatientFactory

pytestmark = pytest.mark.django_db
BASE = "/fhir/r4"


def valid(resource: dict) -> dict:
    """Both R4 models accept it (each raises on what it finds wrong)."""
    get_fhir_model_class(resource["resourceType"]).model_validate(resource)
    FHIRElementFactory.instantiate(resource["resourceType"], resource)
    return resource


@pytest.fixture
def fhir(client):
    def as_user(user=None, scheme="Bearer"):
        headers = {"HTTP_ACCEPT": "application/fhir+json"}
        if user is not None:
            headers["HTTP_AUTHORIZATION"] = f"{scheme} {issue_api_token(user=user)[1]}"

        def get(path, **extra):
            return client.get(path if path.startswith("http") else BASE + path, **headers, **extra)

        return get

    return as_user


@pytest.fixture
def register(front_desk):
    kowalski = PatientFactory(
        given_name="Joan",
        family_name="Kowalski",
        preferred_name="Jo",
        date_of_birth=datetime.date(1951, 4, 12),
        sex="female",
        phone="+17165550142",
        email="joan@example.org",
        address_line1="12 Elm St",
        city="Buffalo",
        state="NY",
        postal_code="14201",
        registered_by=front_desk,
    )
    others = [
        PatientFactory(
            given_name="Adam", family_name="Kowal", date_of_birth=datetime.date(1960, 1, 5), sex="male"
        ),
        PatientFactory(
            given_name="Ann", family_name="Lee", date_of_birth=datetime.date(1951, 9, 30), sex="female"
        ),
        PatientFactory(
            given_name="Joanna", family_name="Ng", date_of_birth=datetime.date(1975, 6, 1), sex="other"
        ),
    ]
    return [kowalski, *others]


def test_the_capability_statement_says_exactly_what_is_served(fhir):
    response = fhir()("/metadata")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/fhir+json")
    statement = valid(response.json())
    assert (statement["fhirVersion"], statement["kind"]) == ("4.0.1", "instance")
    resources = {resource["type"]: resource for resource in statement["rest"][0]["resource"]}
    # exactly the routes: a type with /<type>/<id> is read, with /<type> searched
    from fhir_r4.urls import urlpatterns

    routes = [
        str(pattern.pattern)
        for pattern in urlpatterns
        if str(pattern.pattern) != "metadata" and not str(pattern.pattern).startswith("$")
    ]
    assert {route.split("/")[0] for route in routes} == set(resources)
    for kind, resource in resources.items():
        expected = ["read", *(["search-type"] if kind in routes else [])]
        assert [i["code"] for i in resource["interaction"]] == expected, kind
    # the bulk export: system level and Patient level, as operations
    assert [o["name"] for o in statement["rest"][0]["operation"]] == ["export"]
    assert [o["name"] for o in resources["Patient"]["operation"]] == ["export"]
    resource = resources["Patient"]
    assert {p["name"] for p in resource["searchParam"]} == {
        "_id",
        "identifier",
        "name",
        "family",
        "given",
        "birthdate",
        "gender",
        "_count",
        "_total",
    }
    assert {p["name"] for p in resources["Observation"]["searchParam"]} == {
        "patient",
        "subject",
        "code",
        "category",
        "date",
        "_count",
    }
    assert {p["name"] for p in resources["Questionnaire"]["searchParam"]} == {"_id", "url"}
    assert resources["Observation"]["searchInclude"] == ["Observation:patient", "Observation:subject"]


def test_a_patient_reads_as_a_valid_r4_patient_and_the_read_is_audited(fhir, therapist, register):
    joan = register[0]
    response = fhir(therapist)(f"/Patient/{joan.public_id}")
    assert response.status_code == 200, response.content
    patient = valid(response.json())
    assert patient["id"] == str(joan.public_id)
    assert (
        patient["identifier"][0]["system"] == mrn_system() and patient["identifier"][0]["value"] == joan.mrn
    )
    assert patient["name"][0] == {"use": "official", "family": "Kowalski", "given": ["Joan"]}
    assert patient["name"][1] == {"use": "usual", "given": ["Jo"]}
    assert (patient["gender"], patient["birthDate"], patient["active"]) == ("female", "1951-04-12", True)
    assert {"system": "phone", "value": "+17165550142", "use": "home"} in patient["telecom"]
    assert patient["address"][0]["city"] == "Buffalo" and patient["address"][0]["postalCode"] == "14201"
    assert response["ETag"] == f'W/"{joan.version}"'
    event = AuditEvent.objects.latest("id")
    assert (event.action, event.channel, event.actor, event.patient_public_id) == (
        "view",
        "fhir",
        therapist,
        joan.public_id,
    )


def test_errors_are_operation_outcomes_with_their_status(fhir, therapist, nobody, register):
    cases = [
        (fhir()(f"/Patient/{register[0].public_id}"), 401, "login"),
        (fhir(nobody)(f"/Patient/{register[0].public_id}"), 403, "forbidden"),
        (fhir(therapist)("/Patient/00000000-0000-0000-0000-000000000000"), 404, "not-found"),
        (fhir(therapist)("/Patient/not-an-id"), 404, "not-found"),
        (fhir(therapist)("/Patient?colour=blue"), 400, "invalid"),
        (fhir(therapist)("/Patient?family:exact=Lee"), 400, "invalid"),
        (fhir(therapist)("/Patient?_count=101"), 400, "invalid"),
        (fhir(therapist)("/Patient?_count=-1"), 400, "invalid"),
        (fhir(therapist)("/Patient?birthdate=1951-13-01"), 400, "invalid"),
        (fhir(therapist)("/Patient?gender=woman"), 400, "invalid"),
        (fhir(therapist)("/Patient?_cursor=nonsense"), 400, "invalid"),
        (fhir(therapist)("/Patient?_total=maybe"), 400, "invalid"),
    ]
    for response, code, issue in cases:
        assert response.status_code == code, (response.request["QUERY_STRING"], response.content)
        outcome = valid(response.json())
        assert outcome["resourceType"] == "OperationOutcome" and outcome["issue"][0]["code"] == issue


@pytest.mark.parametrize(
    "query,expected",
    [
        ("family=kowal", ["Kowal", "Kowalski"]),
        ("given=jo", ["Kowalski", "Ng"]),  # Joan; Joanna
        ("name=jo", ["Kowalski", "Ng"]),  # given Joan (preferred Jo); Joanna
        ("name=lee", ["Lee"]),
        ("birthdate=1951", ["Kowalski", "Lee"]),
        ("birthdate=1951-04", ["Kowalski"]),
        ("birthdate=ge1960-01-05", ["Kowal", "Ng"]),
        ("birthdate=lt1960", ["Kowalski", "Lee"]),
        ("birthdate=ne1951", ["Kowal", "Ng"]),
        ("gender=male,other", ["Kowal", "Ng"]),
        ("family=kow&gender=female", ["Kowalski"]),
    ],
)
def test_search_parameters(fhir, therapist, register, query, expected):
    response = fhir(therapist)(f"/Patient?{query}")
    assert response.status_code == 200, response.content
    bundle = valid(response.json())
    assert bundle["type"] == "searchset" and bundle["total"] == len(expected)
    entries = [entry["resource"] for entry in bundle.get("entry", [])]
    assert sorted(resource["name"][0]["family"] for resource in entries) == sorted(expected)
    # in registration order (fhir_r4.views.FHIR_PATIENT_ORDER), whatever the names
    registered = {str(p.public_id): index for index, p in enumerate(Patient.objects.order_by("pk"))}
    positions = [registered[resource["id"]] for resource in entries]
    assert positions == sorted(positions)


def test_search_by_identifier_and_id(fhir, therapist, register):
    joan = register[0]
    get = fhir(therapist)
    for query in (
        f"identifier={mrn_system()}|{joan.mrn}",
        f"identifier={joan.mrn}",
        f"_id={joan.public_id}",
        f"_id={joan.public_id},not-a-uuid",
    ):
        bundle = get(f"/Patient?{query}").json()
        assert [entry["resource"]["id"] for entry in bundle["entry"]] == [str(joan.public_id)], query
    other_system = get(f"/Patient?identifier=urn:other|{joan.mrn}").json()
    assert other_system["total"] == 0 and "entry" not in other_system
    only_total = valid(get("/Patient?family=kow&_count=0").json())
    assert only_total["total"] == 2 and "entry" not in only_total


def test_paging_follows_next_links_without_loss_and_the_search_is_audited(fhir, therapist, register):
    get = fhir(therapist)
    first = valid(get("/Patient?_count=3").json())
    assert "total" not in first  # more pages follow: counted only when asked for
    assert valid(get("/Patient?_count=4").json())["total"] == 4  # one page holds them all
    url, seen = "/Patient?_count=3&_total=accurate", []
    while url:
        bundle = valid(get(url).json())
        assert bundle["total"] == 4
        assert all(
            entry["fullUrl"].startswith("http://testserver/fhir/r4/Patient/") for entry in bundle["entry"]
        )
        seen += [entry["resource"]["id"] for entry in bundle["entry"]]
        url = next((link["url"] for link in bundle["link"] if link["relation"] == "next"), None)
    assert sorted(seen) == sorted(str(p.public_id) for p in register) and len(seen) == 4
    event = AuditEvent.objects.latest("id")
    assert (event.action, event.channel) == ("search", "fhir")


def test_the_search_makes_a_fixed_number_of_queries(fhir, therapist, register, django_assert_num_queries):
    from tests.queries import AUDIT_EVENT

    get = fhir(therapist)
    # token, permissions (2), the page, the audit event; no count unless asked for
    with django_assert_num_queries(4 + AUDIT_EVENT):
        assert len(get("/Patient?_count=2").json()["entry"]) == 2
    for _ in range(6):
        PatientFactory()
    with django_assert_num_queries(4 + AUDIT_EVENT):
        assert get("/Patient?_count=10").json()["total"] == 10
    with django_assert_num_queries(5 + AUDIT_EVENT):  # the count, asked for
        assert get("/Patient?_count=2&_total=accurate").json()["total"] == 10


# --- Real FHIR clients against a live server --------------------------------------------------


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("live_db")
def test_fhirpy_searches_pages_and_reads(live_server, therapist, register):
    from fhirpy import SyncFHIRClient

    token = issue_api_token(user=therapist)[1]
    client = SyncFHIRClient(f"{live_server.url}/fhir/r4", authorization=f"Bearer {token}")
    found = client.resources("Patient").search(family="kow").limit(1).fetch_all()  # one per page
    assert sorted(patient["name"][0]["family"] for patient in found) == ["Kowal", "Kowalski"]
    assert client.resources("Patient").search(birthdate="1951").count() == 2
    joan = client.reference("Patient", str(register[0].public_id)).to_resource()
    assert joan["identifier"][0]["value"] == register[0].mrn


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("live_db")
def test_fhirclient_reads_the_capability_statement_and_a_patient(live_server, therapist, register):
    from fhirclient import client as smart_client
    from fhirclient.models.patient import Patient as SmartPatient

    smart = smart_client.FHIRClient(
        settings={"app_id": "buffalo-ot-test", "api_base": f"{live_server.url}/fhir/r4"}
    )
    try:
        smart.prepare()  # reads /metadata
        smart.server.session.headers["Authorization"] = f"Bearer {issue_api_token(user=therapist)[1]}"
        patient = SmartPatient.read(str(register[0].public_id), smart.server)
    finally:
        smart.server.session.close()  # its kept-alive connection would hold a live-server thread open
    assert (patient.name[0].family, patient.birthDate.isostring, patient.gender) == (
        "Kowalski",
        "1951-04-12",
        "female",
    )
    assert patient.identifier[0].system == mrn_system()
