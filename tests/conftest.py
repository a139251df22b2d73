import pytest
from rest_framework.test import APIClient

from accounts.services import issue_api_token
from tests.factories import ClinicAdminFactory, FrontDeskFactory, PatientFactory, TherapistFactory

PASSWORD = "correct horse battery"


@pytest.fixture(autouse=True)
def test_settings(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Production serves collected, hashed files; tests read them from the apps.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def front_desk(db):
    return FrontDeskFactory(username="desk")


@pytest.fixture
def therapist(db):
    return TherapistFactory(username="ot")


@pytest.fixture
def clinic_admin(db):
    return ClinicAdminFactory(username="boss")


@pytest.fixture
def nobody(db):
    """Signed in, but in no role."""
    from tests.factories import UserFactory

    return UserFactory(username="norole")


@pytest.fixture
def users(front_desk, therapist, clinic_admin, nobody):
    return {"front_desk": front_desk, "therapist": therapist, "clinic_admin": clinic_admin, "nobody": nobody}


@pytest.fixture
def page_client(client):
    """A browser-like client: `page_client(user)` logs that user in."""

    def log_in(user):
        client.force_login(user)
        return client

    return log_in


@pytest.fixture
def api_client(db):
    """`api_client(user)` sends a real token issued by the token service; `api_client()` is anonymous."""

    def make(user=None):
        api = APIClient()
        if user is not None:
            _token, raw = issue_api_token(user=user)
            api.credentials(HTTP_AUTHORIZATION=f"Token {raw}")
        return api

    return make


@pytest.fixture
def patient(front_desk):
    return PatientFactory(
        given_name="Joan",
        family_name="Kowalski",
        date_of_birth="1951-04-12",
        phone="+17165550142",
        registered_by=front_desk,
    )


def pytest_collection_modifyitems(config, items):
    """Tests marked `postgresql` (row locks, concurrent writers, DELETE triggers) are deselected,
    not skipped, when the suite runs on SQLite."""
    from django.db import connection

    if connection.vendor == "postgresql":
        return
    selected = [item for item in items if item.get_closest_marker("postgresql") is None]
    deselected = [item for item in items if item.get_closest_marker("postgresql") is not None]
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = selected
