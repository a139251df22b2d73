import pytest
from django.core.management import call_command
from django.utils import timezone

from episodes.services import open_episode
from tests.evaluations.test_report import signed

NPI = "1234567893"  # a valid NPI (check digit by the Luhn rule)


@pytest.fixture
def evaluation(therapist, patient):
    return signed(therapist, patient, when=timezone.localdate() - timezone.timedelta(days=20))


@pytest.fixture
def episode(therapist, evaluation):
    return open_episode(
        by=therapist,
        evaluation=evaluation,
        referring_physician_name="Dr. Ada Osler",
        referring_physician_npi=NPI,
        referring_physician_email="osler@example.org",
    )


def run_jobs() -> None:
    """The background worker of the configured backend, as `make run` starts it: run every
    queued job, then stop."""
    call_command("jobs_worker", batch=True, verbosity=0)
