"""ETag and If-Match: every write changes the version; a write from an old version is refused."""

import pytest

from audit.models import AuditEvent
from evaluations.models import Evaluation
from patients.models import Patient
from tests.evaluations.test_api import full_json
from tests.factories import EvaluationFactory

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery"
NO_IF_MATCH = {"HTTP_IF_MATCH": ""}  # the test client otherwise sends the stored version


@pytest.fixture
def draft(therapist, patient):
    return EvaluationFactory(therapist=therapist, patient=patient)


def url(evaluation, suffix=""):
    return f"/api/v1/evaluations/{evaluation.public_id}/{suffix}"


def test_evaluation_and_patient_reads_carry_their_version_as_etag(api_client, therapist, draft, patient):
    api = api_client(therapist)
    assert api.get(url(draft))["ETag"] == '"1"'
    assert api.get(f"/api/v1/patients/{patient.public_id}/")["ETag"] == f'"{patient.version}"'


def test_every_evaluation_write_moves_the_etag_on(api_client, therapist, draft):
    api = api_client(therapist)
    tags = [api.get(url(draft))["ETag"]]

    saved = api.patch(url(draft), full_json(draft.date_of_service), format="json", HTTP_IF_MATCH=tags[-1])
    tags.append(saved["ETag"])
    signed = api.post(url(draft, "sign/"), {"password": PASSWORD}, format="json", HTTP_IF_MATCH=tags[-1])
    tags.append(signed["ETag"])
    addendum = api.post(url(draft, "addenda/"), {"text": "Late entry."}, format="json")
    tags.append(addendum["ETag"])

    assert [saved.status_code, signed.status_code, addendum.status_code] == [200, 200, 201]
    assert tags == ['"1"', '"2"', '"3"', '"4"']
    assert api.get(url(draft))["ETag"] == '"4"'


def test_saving_nothing_new_keeps_the_version(api_client, therapist, draft):
    api = api_client(therapist)
    body = {"assessment_and_plan": {"sessions_per_week": 2}}
    first = api.patch(url(draft), body, format="json", HTTP_IF_MATCH='"1"')
    again = api.patch(url(draft), body, format="json", HTTP_IF_MATCH=first["ETag"])
    assert (first["ETag"], again["ETag"]) == ('"2"', '"2"')


@pytest.mark.parametrize(
    "suffix,body", [("", {"assessment_and_plan": {"sessions_per_week": 3}}), ("sign/", {})]
)
def test_evaluation_writes_without_if_match_are_428(api_client, therapist, draft, suffix, body):
    send = api_client(therapist).patch if not suffix else api_client(therapist).post

    response = send(url(draft, suffix), body, format="json", **NO_IF_MATCH)

    assert response.status_code == 428
    assert "If-Match" in response.json()["detail"]
    stored = Evaluation.objects.get(pk=draft.pk)
    assert (stored.version, stored.sessions_per_week, stored.status) == (1, None, "draft")


@pytest.mark.parametrize("if_match", ['"7"', 'W/"1"', "garbage", '"1x"'])
def test_a_patch_from_another_version_is_412_with_the_current_etag(api_client, therapist, draft, if_match):
    api = api_client(therapist)
    events = AuditEvent.objects.count()

    response = api.patch(
        url(draft), {"assessment_and_plan": {"sessions_per_week": 3}}, format="json", HTTP_IF_MATCH=if_match
    )

    assert response.status_code == 412
    assert response["ETag"] == '"1"'
    assert response.json() == {
        "detail": response.json()["detail"],
        "code": "stale",
        "current_version": 1,
    }
    assert Evaluation.objects.get(pk=draft.pk).sessions_per_week is None
    assert AuditEvent.objects.count() == events


def test_if_match_may_list_several_versions_or_any(api_client, therapist, draft):
    api = api_client(therapist)
    body = {"assessment_and_plan": {"sessions_per_week": 3}}
    assert api.patch(url(draft), body, format="json", HTTP_IF_MATCH='"9", "1"').status_code == 200
    body = {"assessment_and_plan": {"sessions_per_week": 4}}
    assert api.patch(url(draft), body, format="json", HTTP_IF_MATCH="*").status_code == 200
    assert Evaluation.objects.get(pk=draft.pk).sessions_per_week == 4


def test_signing_from_an_old_version_is_412_and_nothing_is_signed(api_client, therapist, draft):
    api = api_client(therapist)
    saved = api.patch(url(draft), full_json(draft.date_of_service), format="json", HTTP_IF_MATCH='"1"')

    refused = api.post(url(draft, "sign/"), {"password": PASSWORD}, format="json", HTTP_IF_MATCH='"1"')

    assert refused.status_code == 412 and refused["ETag"] == saved["ETag"]
    assert Evaluation.objects.get(pk=draft.pk).status == "draft"


def test_state_is_judged_before_the_version(api_client, therapist, users, draft):
    """403 and 409 come first: a stale tag does not reveal anything about a draft one may not edit."""
    other = api_client(users["clinic_admin"])
    response = other.patch(url(draft), {}, format="json", **NO_IF_MATCH)
    assert response.status_code == 403


def test_patient_writes_honour_if_match(api_client, front_desk, patient):
    api = api_client(front_desk)
    address = f"/api/v1/patients/{patient.public_id}/"
    tag = api.get(address)["ETag"]

    changed = api.patch(address, {"city": "Buffalo"}, format="json", HTTP_IF_MATCH=tag)
    stale = api.patch(address, {"city": "Lackawanna"}, format="json", HTTP_IF_MATCH=tag)
    archive_stale = api.post(f"{address}archive/", {"reason": "moved"}, format="json", HTTP_IF_MATCH=tag)
    unconditional = api.patch(address, {"postal_code": "14201"}, format="json")

    assert changed.status_code == 200 and changed["ETag"] != tag
    assert stale.status_code == 412 and stale["ETag"] == changed["ETag"]
    assert archive_stale.status_code == 412
    assert unconditional.status_code == 200  # If-Match is optional for patients
    stored = Patient.objects.get(pk=patient.pk)
    assert (stored.city, stored.postal_code, stored.is_archived) == ("Buffalo", "14201", False)
    archived = api.post(
        f"{address}archive/", {"reason": "moved"}, format="json", HTTP_IF_MATCH=unconditional["ETag"]
    )
    assert archived.status_code == 200 and archived["ETag"] == f'"{stored.version + 1}"'


def test_a_new_patient_answers_with_its_first_version(api_client, front_desk):
    created = api_client(front_desk).post(
        "/api/v1/patients/",
        {"given_name": "Nia", "family_name": "Okafor", "date_of_birth": "1980-02-02"},
        format="json",
    )
    assert created.status_code == 201 and created["ETag"] == '"1"'
