from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import ApiToken, hash_token
from audit.models import AuditEvent

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery"


def get_token(username, password=PASSWORD):
    return APIClient().post(
        "/api/v1/auth/token/", {"username": username, "password": password}, format="json"
    )


def test_token_is_issued_for_good_credentials_and_stored_only_as_a_digest(front_desk):
    response = get_token("desk")

    assert response.status_code == 201
    raw = response.json()["token"]
    stored = ApiToken.objects.get()
    assert stored.digest == hash_token(raw)
    assert raw not in {stored.digest, stored.prefix}
    assert stored.expires_at > timezone.now() + timedelta(hours=9)
    assert AuditEvent.objects.filter(action="token_issued", actor=front_desk, channel="api").count() == 1


def test_token_authenticates_api_calls(front_desk):
    raw = get_token("desk").json()["token"]
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {raw}")
    assert api.get("/api/v1/patients/").status_code == 200


def test_wrong_password_gets_a_400_and_no_token(front_desk):
    response = get_token("desk", "wrong password")
    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["Wrong username or password."]}
    assert not ApiToken.objects.exists()


def test_unknown_fields_in_the_token_request_are_refused(front_desk):
    response = APIClient().post(
        "/api/v1/auth/token/", {"username": "desk", "password": PASSWORD, "scope": "all"}, format="json"
    )
    assert response.status_code == 400
    assert response.json() == {"scope": ["Unknown field."]}


@pytest.mark.parametrize("header", [None, "Token nonsense", "Bearer abc"])
def test_missing_or_bad_token_is_a_401(db, header):
    api = APIClient()
    if header:
        api.credentials(HTTP_AUTHORIZATION=header)
    assert api.get("/api/v1/patients/").status_code == 401


def test_expired_token_is_a_401(front_desk):
    raw = get_token("desk").json()["token"]
    ApiToken.objects.update(
        created_at=timezone.now() - timedelta(days=2), expires_at=timezone.now() - timedelta(seconds=1)
    )
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {raw}")
    assert api.get("/api/v1/patients/").status_code == 401


def test_delete_revokes_the_token(front_desk):
    raw = get_token("desk").json()["token"]
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {raw}")

    assert api.delete("/api/v1/auth/token/").status_code == 204

    assert api.get("/api/v1/patients/").status_code == 401
    assert ApiToken.objects.get().revoked_at is not None
    assert AuditEvent.objects.filter(action="token_revoked", actor=front_desk).count() == 1


def test_inactive_user_token_stops_working(front_desk):
    raw = get_token("desk").json()["token"]
    front_desk.is_active = False
    front_desk.save()
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {raw}")
    assert api.get("/api/v1/patients/").status_code == 401


def test_five_failures_lock_the_username_but_not_others_on_the_same_address(front_desk, therapist, settings):
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        assert get_token("desk", "wrong").status_code == 400
    assert get_token("desk", "wrong").status_code == 429  # the fifth failure locks

    locked = get_token("desk")  # even the right password is refused now
    assert locked.status_code == 429
    assert locked.json()["code"] == "locked_out"
    assert not ApiToken.objects.filter(user=front_desk).exists()

    assert get_token("ot").status_code == 201  # same client address, other user: unaffected


def test_token_response_is_never_cached(front_desk):
    assert "no-store" in get_token("desk")["Cache-Control"].split(", ")


def test_changing_the_password_ends_existing_tokens(front_desk):
    raw = get_token("desk").json()["token"]
    front_desk.set_password("a brand new password")
    front_desk.save()
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {raw}")

    assert api.get("/api/v1/patients/").status_code == 401
    assert get_token("desk", "a brand new password").status_code == 201
