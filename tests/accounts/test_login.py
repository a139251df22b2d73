from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.utils import timezone

from audit.models import AuditEvent

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery"


def test_login_page_is_public_and_everything_else_needs_login(client):
    assert client.get("/accounts/login/").status_code == 200
    response = client.get("/patients/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/patients/")


def test_login_and_logout_are_audited(client, front_desk):
    response = client.post("/accounts/login/", {"username": "desk", "password": PASSWORD})
    assert response.status_code == 302
    client.post("/accounts/logout/")
    actions = list(AuditEvent.objects.order_by("occurred_at", "id").values_list("action", "actor__username"))
    assert actions == [("login", "desk"), ("logout", "desk")]


def test_failed_login_is_audited_with_the_typed_username(client, front_desk):
    response = client.post("/accounts/login/", {"username": "desk", "password": "nope"})
    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.content.decode()
    event = AuditEvent.objects.get(action="login_failed")
    assert (event.actor, event.actor_username, event.ip_address) == (None, "desk", "127.0.0.1")


def test_repeated_failures_lock_that_username_only(client, front_desk, therapist, settings):
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        client.post("/accounts/login/", {"username": "desk", "password": "nope"})

    locked = client.post("/accounts/login/", {"username": "desk", "password": PASSWORD})
    assert locked.status_code == 429
    assert "locked" in locked.content.decode()

    other = client.post("/accounts/login/", {"username": "ot", "password": PASSWORD})
    assert other.status_code == 302


def test_idle_session_expires(client, front_desk, settings):
    client.post("/accounts/login/", {"username": "desk", "password": PASSWORD})
    assert client.get("/patients/").status_code == 200
    session = Session.objects.get()
    assert session.expire_date <= timezone.now() + timedelta(seconds=settings.SESSION_COOKIE_AGE)

    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))

    assert client.get("/patients/").status_code == 302


def test_each_request_pushes_the_idle_expiry_forward(client, front_desk):
    client.post("/accounts/login/", {"username": "desk", "password": PASSWORD})
    Session.objects.update(expire_date=timezone.now() + timedelta(minutes=1))
    client.get("/")
    assert Session.objects.get().expire_date > timezone.now() + timedelta(minutes=20)


def test_passwords_are_hashed_with_argon2_in_production_settings():
    from django.conf import settings as django_settings

    from buffalo_ot import settings as project_settings

    assert project_settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    assert django_settings.AUTH_PASSWORD_VALIDATORS[1]["OPTIONS"]["min_length"] == 12
