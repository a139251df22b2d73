import pytest

from audit.models import AuditEvent
from patients.models import Patient
from tests.factories import PatientFactory
from tests.queries import AUDIT_EVENT

pytestmark = pytest.mark.django_db

VALID = {
    "given_name": "Ada",
    "family_name": "Ng",
    "date_of_birth": "1960-01-02",
    "sex": "female",
    "phone": "+17165550199",
    "referring_physician_npi": "1234567893",
    "diagnosis_codes": ["M25.551", "z96641"],
}


def test_front_desk_token_can_register_and_fetch_a_patient(api_client, front_desk):
    api = api_client(front_desk)

    created = api.post("/api/v1/patients/", VALID, format="json")

    assert created.status_code == 201, created.content
    body = created.json()
    assert body["mrn"] == Patient.objects.get().mrn
    assert body["diagnosis_codes"] == ["M25.551", "Z96.641"]
    assert body["diagnoses"][0] == {"code": "M25.551", "description": "Pain in right hip"}
    assert body["registered_by"] == "desk"
    assert "confirmed_not_duplicate" not in body
    fetched = api.get(f"/api/v1/patients/{body['id']}/")
    assert fetched.status_code == 200
    assert fetched.json()["family_name"] == "Ng"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"date_of_birth": "2999-01-01"}, "date_of_birth"),
        ({"date_of_birth": "12/31/1950"}, "date_of_birth"),
        ({"diagnosis_codes": ["M54.5"]}, "diagnosis_codes"),
        ({"diagnosis_codes": ["NOTACODE"]}, "diagnosis_codes"),
        ({"diagnosis_codes": "M54.50"}, "diagnosis_codes"),
        ({"referring_physician_npi": "1234567890"}, "referring_physician_npi"),
        ({"given_name": "x" * 101}, "given_name"),
        ({"given_name": ""}, "given_name"),
        ({"given_name": ["Ada"]}, "given_name"),
        ({"date_of_birth": 19600102}, "date_of_birth"),
        ({"sex": "f"}, "sex"),
        ({"phone": "call me"}, "phone"),
        ({"needs_interpreter": "perhaps"}, "needs_interpreter"),
        ({"favourite_colour": "blue"}, "favourite_colour"),
        ({"mrn": "12345678"}, "mrn"),
        ({"state": "XX"}, "state"),
        ({"postal_code": "1420"}, "postal_code"),
    ],
)
def test_bad_input_is_a_400_with_field_errors_and_nothing_saved(api_client, front_desk, change, field):
    response = api_client(front_desk).post("/api/v1/patients/", {**VALID, **change}, format="json")

    assert response.status_code == 400, response.content
    assert response.json()[field]
    assert Patient.objects.count() == 0
    assert not AuditEvent.objects.filter(action="create").exists()


@pytest.mark.parametrize("missing", ["given_name", "family_name", "date_of_birth"])
def test_missing_required_fields_are_named(api_client, front_desk, missing):
    data = {key: value for key, value in VALID.items() if key != missing}
    response = api_client(front_desk).post("/api/v1/patients/", data, format="json")
    assert response.status_code == 400
    assert response.json()[missing] == ["This field is required."]
    assert Patient.objects.count() == 0


def test_every_field_error_is_reported_in_one_answer(api_client, front_desk):
    response = api_client(front_desk).post(
        "/api/v1/patients/",
        {
            **VALID,
            "date_of_birth": "2999-01-01",
            "diagnosis_codes": ["M54.50", "M54.5"],
            "referring_physician_npi": "1",
        },
        format="json",
    )
    assert response.status_code == 400
    errors = response.json()
    assert set(errors) == {"date_of_birth", "diagnosis_codes", "referring_physician_npi"}
    assert "not a billable code" in errors["diagnosis_codes"]["1"][0]


def test_malformed_json_is_a_400(api_client, front_desk):
    response = api_client(front_desk).post(
        "/api/v1/patients/", '{"given_name": "Ada",', content_type="application/json"
    )
    assert response.status_code == 400
    assert "JSON parse error" in response.json()["detail"]
    assert Patient.objects.count() == 0


def test_wrong_body_type_is_a_400(api_client, front_desk):
    response = api_client(front_desk).post("/api/v1/patients/", ["Ada"], format="json")
    assert response.status_code == 400
    assert Patient.objects.count() == 0


def test_possible_duplicate_is_a_409_until_confirmed(api_client, front_desk, patient):
    api = api_client(front_desk)
    data = {"given_name": "joan", "family_name": "KOWALSKI", "date_of_birth": "1951-04-12"}

    refused = api.post("/api/v1/patients/", data, format="json")

    assert refused.status_code == 409
    assert refused.json()["code"] == "possible_duplicate"
    assert refused.json()["matches"] == [
        {
            "id": str(patient.public_id),
            "mrn": patient.mrn,
            "given_name": "Joan",
            "family_name": "Kowalski",
            "date_of_birth": "1951-04-12",
            "status": "active",
        }
    ]
    assert Patient.objects.count() == 1

    confirmed = api.post("/api/v1/patients/", {**data, "confirmed_not_duplicate": True}, format="json")
    assert confirmed.status_code == 201
    assert Patient.objects.count() == 2


def test_partial_update_changes_only_what_is_sent(api_client, therapist, patient):
    response = api_client(therapist).patch(
        f"/api/v1/patients/{patient.public_id}/", {"city": "Buffalo", "state": "NY"}, format="json"
    )
    assert response.status_code == 200
    patient.refresh_from_db()
    assert (patient.city, patient.state, patient.given_name) == ("Buffalo", "NY", "Joan")
    event = AuditEvent.objects.get(action="update")
    assert (event.actor, event.channel, event.changed_fields) == (therapist, "api", ["city", "state"])


def test_bad_partial_update_changes_nothing(api_client, therapist, patient):
    response = api_client(therapist).patch(
        f"/api/v1/patients/{patient.public_id}/",
        {"city": "Buffalo", "date_of_birth": "2999-01-01"},
        format="json",
    )
    assert response.status_code == 400
    assert "date_of_birth" in response.json()
    patient.refresh_from_db()
    assert patient.city == ""


def test_put_and_delete_are_not_offered(api_client, clinic_admin, patient):
    api = api_client(clinic_admin)
    assert api.delete(f"/api/v1/patients/{patient.public_id}/").status_code == 405
    assert api.put(f"/api/v1/patients/{patient.public_id}/", VALID, format="json").status_code == 405
    assert Patient.objects.filter(pk=patient.pk).exists()


def test_archive_and_restore(api_client, front_desk, patient):
    api = api_client(front_desk)

    archived = api.post(
        f"/api/v1/patients/{patient.public_id}/archive/", {"reason": "moved away"}, format="json"
    )
    assert archived.status_code == 200
    assert archived.json()["status"] == "archived"
    assert archived.json()["archived_by"] == "desk"

    again = api.post(f"/api/v1/patients/{patient.public_id}/archive/", {"reason": "again"}, format="json")
    assert again.status_code == 409
    edit = api.patch(f"/api/v1/patients/{patient.public_id}/", {"city": "Buffalo"}, format="json")
    assert edit.status_code == 409
    assert api.get("/api/v1/patients/?count=true").json()["count"] == 0
    assert api.get("/api/v1/patients/?status=archived&count=true").json()["count"] == 1

    restored = api.post(f"/api/v1/patients/{patient.public_id}/restore/")
    assert restored.status_code == 200
    assert restored.json()["status"] == "active"


def test_archive_needs_a_reason(api_client, front_desk, patient):
    response = api_client(front_desk).post(
        f"/api/v1/patients/{patient.public_id}/archive/", {}, format="json"
    )
    assert response.status_code == 400
    assert "reason" in response.json()
    patient.refresh_from_db()
    assert not patient.is_archived


def test_search_and_filters(api_client, front_desk, patient):
    PatientFactory(given_name="Robert", family_name="Nowak", date_of_birth="1948-09-30", sex="male")
    api = api_client(front_desk)

    def names(query):
        return [row["family_name"] for row in api.get(f"/api/v1/patients/?{query}").json()["results"]]

    assert names("q=owal") == ["Kowalski"]
    assert names("q=1948-09-30") == ["Nowak"]
    assert names("q=716-555-0142") == ["Kowalski"]
    assert names(f"q={patient.mrn}") == ["Kowalski"]
    assert names("sex=male") == ["Nowak"]
    assert names("date_of_birth=1951-04-12") == ["Kowalski"]


def test_page_size_is_capped(api_client, front_desk):
    PatientFactory.create_batch(3)
    response = api_client(front_desk).get("/api/v1/patients/?page_size=1000")
    assert response.status_code == 200
    assert len(response.json()["results"]) == 3


def test_unknown_patient_is_404(api_client, front_desk):
    response = api_client(front_desk).get("/api/v1/patients/00000000-0000-0000-0000-000000000000/")
    assert response.status_code == 404


def test_retrieve_writes_one_view_event_through_the_api_channel(api_client, therapist, patient):
    api_client(therapist).get(f"/api/v1/patients/{patient.public_id}/")

    event = AuditEvent.objects.get(action="view")
    assert (event.actor, event.channel, event.record_id) == (therapist, "api", patient.public_id)
    assert event.ip_address == "127.0.0.1"


def test_list_query_count_is_the_same_for_1_and_50_patients(
    api_client, front_desk, django_assert_num_queries
):
    api = api_client(front_desk)
    PatientFactory()
    # token lookup, permissions (2), page (no count: it pages by cursor), the search's audit event
    with django_assert_num_queries(4 + AUDIT_EVENT):
        one = api.get("/api/v1/patients/")
    PatientFactory.create_batch(49)
    with django_assert_num_queries(4 + AUDIT_EVENT):
        fifty = api.get("/api/v1/patients/?page_size=50")
    assert (len(one.json()["results"]), len(fifty.json()["results"])) == (1, 50)


def test_retrieve_query_count(api_client, front_desk, patient, django_assert_num_queries):
    api = api_client(front_desk)
    # token, permissions (2), patient with its users, audit insert (savepoint-free)
    with django_assert_num_queries(4 + AUDIT_EVENT):
        response = api.get(f"/api/v1/patients/{patient.public_id}/")
    assert response.status_code == 200


def test_text_fields_refuse_numbers_and_booleans(api_client, front_desk):
    for change in ({"given_name": 123}, {"referring_physician_npi": 1234567893}, {"city": True}):
        response = api_client(front_desk).post("/api/v1/patients/", {**VALID, **change}, format="json")
        assert response.status_code == 400
        assert list(response.json()) == list(change)
    assert Patient.objects.count() == 0


def test_list_shows_summaries_and_each_search_is_audited(api_client, front_desk, patient):
    response = api_client(front_desk).get("/api/v1/patients/?q=kowal")

    row = response.json()["results"][0]
    assert set(row) == {
        "id",
        "mrn",
        "status",
        "given_name",
        "family_name",
        "preferred_name",
        "date_of_birth",
        "sex",
        "phone",
    }
    event = AuditEvent.objects.get(action="search")
    assert (event.actor, event.channel) == (front_desk, "api")
    assert "kowal" in event.record_label and "1 found" in event.record_label


def test_an_empty_status_means_active(api_client, front_desk, patient):
    PatientFactory(given_name="Gone", family_name="Away").archived_at  # noqa: B018
    gone = Patient.objects.get(given_name="Gone")
    from patients.services import archive_patient

    archive_patient(patient=gone, by=front_desk, reason="moved")
    names = [
        r["given_name"] for r in api_client(front_desk).get("/api/v1/patients/?status=").json()["results"]
    ]
    assert names == ["Joan"]


def test_unknown_status_is_a_400(api_client, front_desk):
    response = api_client(front_desk).get("/api/v1/patients/?status=bogus")
    assert response.status_code == 400
    assert "status" in response.json()


@pytest.mark.parametrize("query", ["a " * 1000, "x" * 5000, "%%%", "'; drop table", "1" * 40])
def test_abusive_searches_answer_without_a_server_error(api_client, front_desk, query):
    response = api_client(front_desk).get("/api/v1/patients/", {"q": query})
    assert response.status_code in (200, 400)


@pytest.mark.parametrize(
    "params",
    [
        "cursor=abc",
        "cursor=eyJkIjoibiIsInYiOlsxLDIsMyw0XX0",  # {"d":"n","v":[1,2,3,4]}: numbers where names go
        "page_size=-1",
        "date_of_birth=notadate",
        "registered_after=yesterday",
        "count=maybe",
    ],
)
def test_bad_list_parameters_never_500(api_client, front_desk, params):
    assert api_client(front_desk).get(f"/api/v1/patients/?{params}").status_code in (200, 400, 404)


def test_page_size_cap_is_100(api_client, front_desk):
    PatientFactory.create_batch(101)
    response = api_client(front_desk).get("/api/v1/patients/?page_size=1000&count=true")
    assert response.json()["count"] == 101
    assert len(response.json()["results"]) == 100
    assert response.json()["next"] is not None


def test_archive_and_restore_each_write_one_api_event(api_client, front_desk, patient):
    api = api_client(front_desk)
    api.post(f"/api/v1/patients/{patient.public_id}/archive/", {"reason": "moved"}, format="json")
    api.post(f"/api/v1/patients/{patient.public_id}/restore/")
    events = list(
        AuditEvent.objects.filter(action__in=["archive", "restore"]).values_list("action", "actor", "channel")
    )
    assert events == [("restore", front_desk.pk, "api"), ("archive", front_desk.pk, "api")]
