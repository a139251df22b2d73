import pytest
from django.core.management import CommandError, call_command

from accounts.models import User
from buffalo_ot.management.commands.seed_demo import DEMO_PASSWORD
from patients.models import Patient

pytestmark = pytest.mark.django_db


def test_healthz_reports_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_openapi_schema_describes_patients_and_tokens(api_client, front_desk):
    response = api_client(front_desk).get("/api/v1/schema/?format=json")

    assert response.status_code == 200
    schema = response.json()
    patient = schema["components"]["schemas"]["Patient"]["properties"]
    assert patient["id"]["readOnly"] is True
    assert patient["mrn"]["readOnly"] is True
    assert patient["diagnoses"]["items"]["$ref"].endswith("/Diagnosis")
    request = schema["components"]["schemas"]["PatientRequest"]
    assert set(request["required"]) == {"given_name", "family_name", "date_of_birth"}
    assert "mrn" not in request["properties"]
    assert "confirmed_not_duplicate" in request["properties"]
    paths = schema["paths"]
    assert set(paths["/api/v1/patients/{id}/"]) == {"get", "patch"}
    assert "409" in paths["/api/v1/patients/"]["post"]["responses"]
    assert "post" in paths["/api/v1/patients/{id}/archive/"]
    assert "post" in paths["/api/v1/auth/token/"]


def test_schema_generation_has_no_warnings():
    # --fail-on-warn turns every unresolved serializer or field into an error.
    call_command("spectacular", "--fail-on-warn", "--validate", "--file", "/dev/null")


def test_seed_demo_is_idempotent_and_users_can_log_in(client, settings):
    settings.ALLOW_DEMO_DATA = True
    call_command("seed_demo", "--patients", "5")
    call_command("seed_demo", "--patients", "5")

    assert Patient.objects.count() == 5
    assert set(User.objects.values_list("username", flat=True)) >= {"frontdesk", "therapist", "clinicadmin"}
    assert (
        client.post("/accounts/login/", {"username": "frontdesk", "password": DEMO_PASSWORD}).status_code
        == 302
    )
    assert User.objects.get(username="clinicadmin").is_staff


def test_seed_demo_makes_a_living_clinic_of_evaluations(settings):
    from evaluations.models import Addendum, Evaluation

    settings.ALLOW_DEMO_DATA = True
    call_command("seed_demo")
    call_command("seed_demo")

    assert Evaluation.objects.signed().count() == 3
    assert Evaluation.objects.drafts().count() == 2
    follow_up = Evaluation.objects.get(kind="re_evaluation")
    assert follow_up.previous_evaluation.is_signed
    assert Addendum.objects.filter(evaluation=follow_up.previous_evaluation).count() == 1


def test_seed_demo_is_refused_outside_demo_installations(settings):
    settings.DEBUG = False
    settings.ALLOW_DEMO_DATA = False
    with pytest.raises(CommandError):
        call_command("seed_demo")
    assert not User.objects.filter(username="frontdesk").exists()


def _run(*args, **env):
    import os
    import subprocess
    import sys
    from pathlib import Path

    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in ("SECRET_KEY", "DEBUG", "BUFFALO_OT_COMMAND", "DJANGO_SETTINGS_MODULE")
    }
    return subprocess.run(
        [sys.executable, *args],
        cwd=Path(__file__).resolve().parent.parent,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_serving_without_a_secret_key_is_refused_but_one_off_commands_run():
    served = _run(
        "-c", "import os; os.environ['DJANGO_SETTINGS_MODULE']='buffalo_ot.settings'; import buffalo_ot.wsgi"
    )
    assert served.returncode != 0 and "SECRET_KEY is required" in served.stderr
    checked = _run("manage.py", "makemigrations", "--check", "--dry-run")
    assert checked.returncode == 0, checked.stderr
    runserver = _run("manage.py", "runserver", "--noreload", "127.0.0.1:8097")
    assert runserver.returncode != 0 and "SECRET_KEY is required" in runserver.stderr


def test_the_schema_documents_every_status_and_the_locking_headers(api_client, front_desk):
    schema = api_client(front_desk).get("/api/v1/schema/?format=json").json()
    paths = schema["paths"]

    for path, operations in paths.items():
        for method, operation in operations.items():
            responses = operation["responses"]
            assert {"401", "503"} <= set(responses), (method, path)
            if "requestBody" in operation:
                assert {"400", "413", "415"} <= set(responses), (method, path)
            if "{" in path:
                assert "404" in responses, (method, path)
            for status, response in responses.items():
                if status[0] in "45":
                    ref = response["content"]["application/json"]["schema"]["$ref"]
                    assert ref.endswith("/FieldErrors" if status == "400" else "/Error"), (
                        method,
                        path,
                        status,
                    )
    assert "Retry-After" in paths["/api/v1/patients/"]["get"]["responses"]["503"]["headers"]

    def if_match(operation):
        return next(p for p in operation["parameters"] if p["in"] == "header" and p["name"] == "If-Match")

    evaluation, patient = paths["/api/v1/evaluations/{id}/"], paths["/api/v1/patients/{id}/"]
    sign = paths["/api/v1/evaluations/{id}/sign/"]["post"]
    archive = paths["/api/v1/patients/{id}/archive/"]["post"]
    for operation in (evaluation["patch"], sign):
        assert {"412", "428"} <= set(operation["responses"]) and if_match(operation)["required"] is True
    for operation in (patient["patch"], archive):
        assert "412" in operation["responses"] and "428" not in operation["responses"]
        assert if_match(operation)["required"] is False
    for operation in (evaluation["get"], evaluation["patch"], patient["get"], patient["patch"]):
        assert "ETag" in operation["responses"]["200"]["headers"]

    requests = {name: s for name, s in schema["components"]["schemas"].items() if name.endswith("Request")}
    assert "PatchedPatientRequest" in requests and "PhysicalFunctionStrengthRowRequest" in requests
    assert all(s["additionalProperties"] is False for s in requests.values())


def test_an_unknown_pain_band_scheme_stops_start_up(settings):
    from evaluations.checks import check_evaluation_settings

    settings.PAIN_BANDS = "mine"
    assert [error.id for error in check_evaluation_settings()] == ["evaluations.E004"]


def test_an_unknown_chair_stand_table_stops_start_up(settings):
    from evaluations.checks import check_evaluation_settings

    settings.CHAIR_STAND_TABLE = "2020"
    assert [error.id for error in check_evaluation_settings()] == ["evaluations.E005"]


def test_no_migration_depends_on_a_moving_latest():
    """A dependency on another app's "__latest__" points at a different migration once that app
    gains one: a database migrated before then is refused as inconsistent on upgrade."""
    from django.db.migrations.loader import MigrationLoader

    loader = MigrationLoader(None, ignore_no_migrations=True)
    moving = [
        (key, dependency)
        for key, migration in loader.disk_migrations.items()
        if key[0] in {"accounts", "audit", "patients", "occupations", "evaluations", "episodes"}
        for dependency in migration.dependencies
        if dependency[1] == "__latest__"
    ]
    assert moving == []
