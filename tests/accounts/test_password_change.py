"""A signed-in user changes their own password: validators apply, old tokens end, the session stays."""

import time

import pytest

from audit.models import AuditEvent
from buffalo_ot.middleware import SESSION_STARTED
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db
NEW_PASSWORD = "a brand new passphrase 42"


def test_a_user_changes_their_password_and_old_api_tokens_stop(page_client, api_client, therapist):
    old_token_client = api_client(therapist)
    assert old_token_client.get("/api/v1/patients/").status_code == 200
    client = page_client(therapist)

    response = client.post(
        "/accounts/password_change/",
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert response.status_code == 302 and response["Location"] == "/accounts/password_change/done/"
    therapist.refresh_from_db()
    assert therapist.check_password(NEW_PASSWORD)
    assert client.get("/").status_code == 200  # this session stays signed in
    assert old_token_client.get("/api/v1/patients/").status_code == 401
    event = AuditEvent.objects.get(action="password_changed")
    assert (event.actor, event.record_id, event.changed_fields) == (
        therapist,
        therapist.public_id,
        ["password"],
    )


@pytest.mark.parametrize(
    "old,new,message",
    [
        ("wrong old password", NEW_PASSWORD, "Your old password was entered incorrectly"),
        (PASSWORD, "short", "This password is too short"),
        (PASSWORD, "password123456", "This password is too common"),
    ],
)
def test_a_bad_change_is_refused_with_the_reason_and_nothing_changes(
    page_client, therapist, old, new, message
):
    response = page_client(therapist).post(
        "/accounts/password_change/", {"old_password": old, "new_password1": new, "new_password2": new}
    )

    assert response.status_code == 200
    assert message in response.content.decode()
    therapist.refresh_from_db()
    assert therapist.check_password(PASSWORD)
    assert not AuditEvent.objects.filter(action="password_changed").exists()


def test_the_change_page_is_linked_from_every_page(page_client, front_desk):
    assert 'href="/accounts/password_change/"' in page_client(front_desk).get("/").content.decode()


def test_a_session_ends_at_its_absolute_lifetime_however_active(page_client, therapist, settings):
    settings.SESSION_ABSOLUTE_SECONDS = 3600
    client = page_client(therapist)
    assert client.get("/patients/").status_code == 200  # records when the session began

    session = client.session
    assert time.time() - session[SESSION_STARTED] < 60
    session[SESSION_STARTED] = time.time() - 3601
    session.save()
    response = client.get("/patients/")

    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert client.get("/patients/").status_code == 302  # logged out, not just bounced once


def test_a_session_within_its_lifetime_goes_on(page_client, therapist, settings):
    settings.SESSION_ABSOLUTE_SECONDS = 3600
    client = page_client(therapist)
    client.get("/")
    session = client.session
    session[SESSION_STARTED] = time.time() - 3500
    session.save()
    assert client.get("/patients/").status_code == 200
