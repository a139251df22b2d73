"""Every answer under /api/ is JSON, whatever went wrong: bad JSON, a body too large, an unknown
route, a server error, a database outage."""

import json
import logging
import socket

import pytest
from django.db import OperationalError, connection
from django.test import RequestFactory
from rest_framework.test import APIClient

from buffalo_ot import views
from common.api import DATABASE_RETRY_AFTER_SECONDS, MAX_JSON_DEPTH
from patients.api.views import PatientViewSet
from patients.models import Patient


def client() -> APIClient:
    """A client that gets the server's answer to an unhandled error, as a real client would."""
    return APIClient(raise_request_exception=False)


def nested(levels: int) -> str:
    return "[" * levels + "]" * levels


def assert_json_error(response, status: int) -> dict:
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert isinstance(body, dict) and body
    return body


@pytest.mark.django_db
def test_deeply_nested_json_to_the_token_endpoint_is_a_400():
    response = client().post("/api/v1/auth/token/", nested(1000), content_type="application/json")

    body = assert_json_error(response, 400)
    assert "nested" in body["detail"]


@pytest.mark.django_db
def test_nesting_past_the_limit_is_refused_even_when_python_could_parse_it(api_client, front_desk, patient):
    document = {"given_name": json.loads(nested(MAX_JSON_DEPTH))}

    response = api_client(front_desk).patch(f"/api/v1/patients/{patient.public_id}/", document, format="json")

    assert_json_error(response, 400)
    patient.refresh_from_db()
    assert patient.given_name == "Joan"


@pytest.mark.django_db
def test_deeply_nested_json_in_an_authenticated_write_is_a_400(api_client, front_desk, patient):
    api = api_client(front_desk)
    api.raise_request_exception = False

    response = api.patch(
        f"/api/v1/patients/{patient.public_id}/",
        '{"given_name": ' + nested(1000) + "}",
        content_type="application/json",
    )

    assert_json_error(response, 400)
    patient.refresh_from_db()
    assert patient.given_name == "Joan"


@pytest.mark.django_db
def test_ordinary_nesting_is_accepted(api_client, front_desk, patient):
    response = api_client(front_desk).patch(
        f"/api/v1/patients/{patient.public_id}/", {"diagnosis_codes": ["M54.50"]}, format="json"
    )
    assert response.status_code == 200


@pytest.mark.django_db
def test_a_body_over_the_size_limit_is_a_json_413(api_client, front_desk, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    api = api_client(front_desk)
    api.raise_request_exception = False
    document = {"given_name": "A" * 2000, "family_name": "Ng", "date_of_birth": "1960-01-02"}

    response = api.post("/api/v1/patients/", document, format="json")

    body = assert_json_error(response, 413)
    assert body["code"] == "request_too_large"
    assert "1000 bytes" in body["detail"]
    assert not Patient.objects.exists()


@pytest.mark.django_db
def test_the_token_endpoint_answers_413_too(settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 100
    response = client().post("/api/v1/auth/token/", {"username": "x" * 200, "password": "y"}, format="json")
    assert assert_json_error(response, 413)["code"] == "request_too_large"


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/nothing-here/",
        "/api/v1/patients/not-a-uuid/",
        "/api/v1/evaluations/12345/sign/",
        "/api/v2/patients/",
        "/api/",
    ],
)
@pytest.mark.django_db
def test_unknown_routes_and_malformed_ids_under_api_are_json_404s(api_client, front_desk, path):
    for api in (api_client(front_desk), client()):
        for method in ("get", "post", "patch", "delete"):
            response = getattr(api, method)(path)
            assert assert_json_error(response, 404)["detail"].startswith("Not found.")


@pytest.mark.django_db
def test_a_path_without_its_trailing_slash_says_so(api_client, front_desk):
    response = api_client(front_desk).get("/api/v1/patients")
    assert "end with a slash" in assert_json_error(response, 404)["detail"]


@pytest.mark.django_db
def test_pages_keep_their_html_404(page_client, front_desk):
    response = page_client(front_desk).get("/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


@pytest.mark.django_db
def test_a_server_error_under_api_is_a_json_500_and_is_logged(api_client, front_desk, monkeypatch, caplog):
    def broken(self, request, *args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(PatientViewSet, "list", broken)
    api = api_client(front_desk)
    api.raise_request_exception = False

    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = api.get("/api/v1/patients/")

    assert assert_json_error(response, 500) == {"detail": "Server error.", "code": "server_error"}
    assert "a bug" not in response.content.decode()
    assert any(record.exc_info and "a bug" in str(record.exc_info[1]) for record in caplog.records)


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _replay_data_migrations():
    """Roles, permissions and catalogues come from data migrations, and a transactional test
    starts from a flushed database: replay them (each is idempotent), as tests/browser does."""
    from django.apps import apps as global_apps
    from django.db.migrations.loader import MigrationLoader
    from django.db.migrations.operations.special import RunPython

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


PROJECT_APPS = ("accounts", "audit", "patients", "occupations", "evaluations")


@pytest.fixture
def database_outage(transactional_db):
    """`database_outage()` points the default connection at a database that is not there: a
    closed port on PostgreSQL, a file in a missing folder on SQLite. Queries then fail as in an
    outage. Transactional (a broken connection cannot hold the test's enclosing transaction);
    list it before fixtures that make users, so the roles are back first."""
    _replay_data_migrations()
    saved_settings = dict(connection.settings_dict)
    saved_connection = connection.connection

    def go_down():
        # Not closed: that would drop an in-memory SQLite test database. Put back afterwards.
        connection.connection = None
        if connection.vendor == "postgresql":
            connection.settings_dict.update(HOST="127.0.0.1", PORT=str(_closed_port()))
        else:
            connection.settings_dict["NAME"] = "/nonexistent-folder/buffalo.sqlite3"

    yield go_down
    if connection.connection is not None and connection.connection is not saved_connection:
        connection.connection.close()
    connection.settings_dict.clear()
    connection.settings_dict.update(saved_settings)
    connection.connection = saved_connection


def test_the_outage_fixture_really_takes_the_database_away(database_outage):
    database_outage()
    with pytest.raises(OperationalError):
        Patient.objects.count()


def assert_unavailable(response):
    body = assert_json_error(response, 503)
    assert body["code"] == "database_unavailable"
    assert response["Retry-After"] == str(DATABASE_RETRY_AFTER_SECONDS)


def test_asking_for_a_token_during_a_database_outage_is_a_503(database_outage, front_desk):
    database_outage()

    response = client().post(
        "/api/v1/auth/token/", {"username": "desk", "password": "whatever-it-is"}, format="json"
    )

    assert_unavailable(response)


def test_an_authenticated_read_during_a_database_outage_is_a_503(database_outage, api_client, front_desk):
    api = api_client(front_desk)  # token issued while the database is up
    api.raise_request_exception = False
    database_outage()

    assert_unavailable(api.get("/api/v1/patients/"))


def test_a_session_read_during_a_database_outage_is_a_503(database_outage, page_client, front_desk):
    browser = page_client(front_desk)
    browser.raise_request_exception = False
    database_outage()

    assert_unavailable(browser.get("/api/v1/patients/"))


def test_an_error_outside_the_api_views_is_still_json():
    """Failures in middleware reach Django's handlers, not DRF's: those answer JSON under /api/ too."""
    api_request = RequestFactory().get("/api/v1/patients/")
    page_request = RequestFactory().get("/patients/")
    try:
        raise OperationalError("connection refused")
    except OperationalError:
        outage = views.server_error(api_request)
    try:
        raise KeyError("a bug")
    except KeyError:
        bug = views.server_error(api_request)
        page = views.server_error(page_request)

    assert outage.status_code == 503 and json.loads(outage.content)["code"] == "database_unavailable"
    assert outage["Retry-After"] == str(DATABASE_RETRY_AFTER_SECONDS)
    assert bug.status_code == 500 and json.loads(bug.content)["code"] == "server_error"
    assert page.status_code == 500 and page["Content-Type"].startswith("text/html")
