"""Each role against each patient endpoint. Nothing but the expected status, and refusals change nothing."""

import pytest

from patients.models import Patient

pytestmark = pytest.mark.django_db

NEW = {"given_name": "Ada", "family_name": "Ng", "date_of_birth": "1960-01-02"}
ROLES = ["anonymous", "nobody", "front_desk", "therapist", "clinic_admin"]
STAFF = {"front_desk", "therapist", "clinic_admin"}

# endpoint -> (method, path, body, status for staff roles)
ENDPOINTS = {
    "list": ("get", "/api/v1/patients/", None, 200),
    "create": ("post", "/api/v1/patients/", NEW, 201),
    "retrieve": ("get", "/api/v1/patients/{id}/", None, 200),
    "update": ("patch", "/api/v1/patients/{id}/", {"city": "Buffalo"}, 200),
    "archive": ("post", "/api/v1/patients/{id}/archive/", {"reason": "moved"}, 200),
    "schema": ("get", "/api/v1/schema/", None, 200),
}


def expected_status(role, endpoint):
    if role == "anonymous":
        return 401
    if endpoint == "schema":
        return 200
    return ENDPOINTS[endpoint][3] if role in STAFF else 403


@pytest.mark.parametrize("endpoint", ENDPOINTS)
@pytest.mark.parametrize("role", ROLES)
def test_api_permission_matrix(api_client, users, patient, role, endpoint):
    method, path, body, _status = ENDPOINTS[endpoint]
    api = api_client(None if role == "anonymous" else users[role])

    response = getattr(api, method)(path.format(id=patient.public_id), body, format="json")

    assert response.status_code == expected_status(role, endpoint), response.content
    if response.status_code >= 400:
        patient.refresh_from_db()
        assert Patient.objects.count() == 1
        assert (patient.city, patient.is_archived) == ("", False)


def test_restore_needs_the_archive_permission(api_client, users, patient, front_desk):
    api_client(front_desk).post(
        f"/api/v1/patients/{patient.public_id}/archive/", {"reason": "moved"}, format="json"
    )

    refused = api_client(users["nobody"]).post(f"/api/v1/patients/{patient.public_id}/restore/")

    assert refused.status_code == 403
    patient.refresh_from_db()
    assert patient.is_archived


def test_a_user_without_patient_permissions_sees_an_empty_list_not_an_error_in_selectors(nobody):
    from patients.selectors import list_patients

    assert list(list_patients(viewer=nobody)) == []
