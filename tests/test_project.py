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
