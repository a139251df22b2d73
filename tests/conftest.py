import re

import pytest
from django.apps import apps as global_apps
from django.conf import settings
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.operations.special import RunPython
from rest_framework.test import APIClient

from accounts.services import issue_api_token
from tests.factories import ClinicAdminFactory, FrontDeskFactory, PatientFactory, TherapistFactory

PASSWORD = "correct horse battery"


@pytest.fixture(autouse=True)
def test_settings(settings, tmp_path_factory):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Stored files (kept reports, certification scans) go to a scratch folder, never the project's.
    settings.MEDIA_ROOT = str(tmp_path_factory.getbasetemp() / "media")
    # The test client and the live server speak plain HTTP; production redirects it to HTTPS.
    settings.SECURE_SSL_REDIRECT = False
    # Production serves collected, hashed files; tests read them from the apps.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    if settings.TASKS_REDIS_URL:
        # The Redis job backend (`make test-redis`): the queue lives outside the test database,
        # so each test starts from an empty one (the test run has a Redis database of its own).
        import django_rq

        django_rq.get_connection("default").flushdb()


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


# Plain HTTP in tests: the test client and the live server (whose middleware reads settings once,
# before any fixture could change them) both speak it; production redirects it to HTTPS.
settings.SECURE_SSL_REDIRECT = False

EVALUATION_WRITE = re.compile(r"^/api/v1/evaluations/(?P<id>[0-9a-f-]{36})/(sign/|submit/)?$")


class ReadBeforeWriteClient(APIClient):
    """A client that, like a careful integrator, sends the version it last read: evaluation
    writes get `If-Match` with the stored version unless the test sets the header itself
    (`HTTP_IF_MATCH=""` sends none). Tests of If-Match itself set it explicitly."""

    def _with_version(self, path, extra):
        match = EVALUATION_WRITE.match(path)
        if match and "HTTP_IF_MATCH" not in extra:
            from evaluations.models import Evaluation

            version = (
                Evaluation.objects.filter(public_id=match["id"]).values_list("version", flat=True).first()
            )
            if version is not None:
                extra["HTTP_IF_MATCH"] = f'"{version}"'
        return extra

    def patch(self, path, *args, **extra):
        return super().patch(path, *args, **self._with_version(path, extra))

    def post(self, path, *args, **extra):
        return super().post(path, *args, **self._with_version(path, extra))


@pytest.fixture
def api_client(db):
    """`api_client(user)` sends a real token issued by the token service; `api_client()` is anonymous.
    Evaluation writes carry the stored version in `If-Match` (see ReadBeforeWriteClient)."""

    def make(user=None):
        api = ReadBeforeWriteClient()
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


PROJECT_APPS = ("accounts", "audit", "patients", "occupations", "evaluations", "episodes", "fhir_r4")


@pytest.fixture
def live_db(transactional_db):
    """A flushed, committed database with what the data migrations put there.

    live_server needs a transactional database, which Django empties after every test:
    the roles, their permissions and the MRN sequence (all from data migrations) go
    with it. Replaying the project's own data migrations, in dependency order (each is
    idempotent), brings them back exactly as `migrate` makes them.
    """
    loader = MigrationLoader(connection)
    ours = {key for key in loader.disk_migrations if key[0] in PROJECT_APPS}
    ordered = []
    for key in sorted(ours):
        for step in loader.graph.forwards_plan(key):
            if step in ours and step not in ordered:
                ordered.append(step)
    with connection.schema_editor() as schema_editor:
        for key in ordered:
            for operation in loader.disk_migrations[key].operations:
                if isinstance(operation, RunPython):
                    operation.code(global_apps, schema_editor)


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
