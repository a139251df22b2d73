"""The API does what its OpenAPI schema says: what the schema calls invalid is refused, and answers
carry every field the schema promises. (Each case here was found by `make api-fuzz`.)"""

import pytest

from patients.models import Patient
from tests.factories import EvaluationFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("page_size", ["null", "0", "-3", "1.5", ""])
def test_a_page_size_that_is_not_a_positive_whole_number_is_a_400(api_client, front_desk, page_size):
    response = api_client(front_desk).get(f"/api/v1/catalogues/activities/?page_size={page_size}")
    assert response.status_code == 400
    assert "page_size" in response.json()


def test_a_large_page_size_is_capped_and_page_must_be_a_number(api_client, front_desk):
    api = api_client(front_desk)
    assert api.get("/api/v1/catalogues/activities/?page_size=500").status_code == 200
    assert api.get("/api/v1/catalogues/activities/?page=last").status_code == 404


@pytest.mark.parametrize(
    "query",
    [
        "/api/v1/evaluations/?patient=",
        "/api/v1/evaluations/?date_after=",
        "/api/v1/evaluations/?kind=",
        "/api/v1/patients/?updated_after=",
        "/api/v1/patients/?date_of_birth=",
        "/api/v1/patients/?sex=",
    ],
)
def test_a_typed_filter_sent_empty_is_a_400_not_ignored(api_client, therapist, query):
    response = api_client(therapist).get(query)
    assert response.status_code == 400
    assert query.rsplit("?", 1)[1].rstrip("=") in response.json()


def test_text_filters_may_be_empty(api_client, front_desk, patient):
    response = api_client(front_desk).get("/api/v1/patients/?q=&mrn=")
    assert response.status_code == 200
    assert len(response.json()["results"]) == 1


@pytest.mark.parametrize("value, status", [("maybe", 400), ("-1.5", 400), ("true", 200), ("0", 200)])
def test_include_retired_is_true_or_false(api_client, front_desk, value, status):
    response = api_client(front_desk).get(f"/api/v1/catalogues/activities/?include_retired={value}")
    assert response.status_code == status


def test_the_patch_answer_has_every_field_the_schema_promises(api_client, front_desk, patient):
    api = api_client(front_desk)
    schema = api.get("/api/v1/schema/?format=json").json()["components"]["schemas"]["Patient"]
    readable = {name for name, field in schema["properties"].items() if not field.get("writeOnly")}

    response = api.patch(f"/api/v1/patients/{patient.public_id}/", {"preferred_name": "Jo"}, format="json")

    assert response.status_code == 200
    assert set(response.json()) == readable
    assert set(schema["required"]) <= set(response.json())
    assert response.json()["archived_by"] is None


def test_text_fields_refuse_numbers(api_client, front_desk, therapist, patient):
    desk, ot = api_client(front_desk), api_client(therapist)
    draft = EvaluationFactory(therapist=therapist, patient=patient)

    archive = desk.post(f"/api/v1/patients/{patient.public_id}/archive/", {"reason": 42}, format="json")
    sign = ot.post(f"/api/v1/evaluations/{draft.public_id}/sign/", {"password": 12345}, format="json")
    addendum = ot.post(f"/api/v1/evaluations/{draft.public_id}/addenda/", {"text": 7}, format="json")
    token = api_client().post("/api/v1/auth/token/", {"username": 1, "password": 2}, format="json")

    assert "reason" in archive.json() and archive.status_code == 400
    assert "password" in sign.json() and sign.status_code == 400
    assert "text" in addendum.json() and addendum.status_code == 400
    assert set(token.json()) == {"username", "password"} and token.status_code == 400
    patient.refresh_from_db()
    assert not patient.is_archived


@pytest.mark.parametrize("field, value", [("confirmed_not_duplicate", "yes"), ("needs_interpreter", "true")])
def test_true_false_fields_take_only_json_booleans(api_client, front_desk, patient, field, value):
    response = api_client(front_desk).patch(
        f"/api/v1/patients/{patient.public_id}/", {field: value}, format="json"
    )

    assert response.status_code == 400
    assert field in response.json()
    assert Patient.objects.get().needs_interpreter is False
