"""Shared by the FHIR tests: the demo clinic, and a client with a person's Bearer token."""

import pytest
from django.core.management import call_command

from accounts.models import User
from accounts.services import issue_api_token
from evaluations.models import Evaluation

BASE = "/fhir/r4"
# The patient-scoped types a signed evaluation (or the register) yields.
CLINICAL = (
    "Observation",
    "Goal",
    "CarePlan",
    "DocumentReference",
    "Composition",
    "Condition",
    "QuestionnaireResponse",
)


@pytest.fixture
def demo(settings):
    settings.ALLOW_DEMO_DATA = True
    call_command("seed_demo")
    signed = Evaluation.objects.signed().select_related("patient")
    assert signed.exists() and Evaluation.objects.drafts().exists()
    return signed


@pytest.fixture
def get(client):
    def as_user(username="therapist"):
        token = issue_api_token(user=User.objects.get(username=username))[1]
        headers = {"HTTP_ACCEPT": "application/fhir+json", "HTTP_AUTHORIZATION": f"Bearer {token}"}

        def fetch(path, **params):
            url = path if path.startswith(("http", BASE)) else BASE + path
            return client.get(url, params, **headers)

        return fetch

    return as_user
