"""Two writers at once, from the same starting version: exactly one wins, the other is told and
keeps what they typed. Real threads, each with its own database connection, released together by
a barrier; on PostgreSQL they meet at the row lock, on SQLite at the write lock."""

import threading
from collections.abc import Callable
from functools import partial

import pytest
from django.db import connections
from django.test import Client
from rest_framework.test import APIClient

from accounts.services import issue_api_token
from evaluations.models import Evaluation, SectionDraft
from patients.models import Patient
from tests.evaluations.test_views import page_data
from tests.factories import EvaluationFactory, PatientFactory
from tests.patients.test_views import edit_form_data

# Committed data, so each thread's connection sees it; live_db brings back the roles after flushes.
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("live_db")]
ROUNDS = 4


def race(*writers: Callable[[], object]) -> list:
    """Run the writers in threads released at the same moment; return their results in order."""
    barrier = threading.Barrier(len(writers))
    results: list = [None] * len(writers)

    def run(index, writer):
        try:
            barrier.wait(timeout=20)
            results[index] = writer()
        except Exception as error:  # surfaced by the assertions below
            results[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, w)) for i, w in enumerate(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def token_client(user) -> APIClient:
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {issue_api_token(user=user)[1]}")
    return api


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_two_api_saves_from_one_version_one_wins_the_other_gets_412(therapist, patient):
    for _round in range(ROUNDS):
        draft = EvaluationFactory(therapist=therapist, patient=patient)
        first, second = token_client(therapist), token_client(therapist)
        url = f"/api/v1/evaluations/{draft.public_id}/"
        version = f'"{draft.version}"'

        results = race(
            partial(
                first.patch,
                url,
                {"profile": {"who_they_are": "First writer"}},
                format="json",
                HTTP_IF_MATCH=version,
            ),
            partial(
                second.patch,
                url,
                {"profile": {"who_they_are": "Second writer"}},
                format="json",
                HTTP_IF_MATCH=version,
            ),
        )

        statuses = sorted(response.status_code for response in results)
        assert statuses == [200, 412], results
        winner = next(r for r in results if r.status_code == 200)
        loser = next(r for r in results if r.status_code == 412)
        stored = Evaluation.objects.select_related("profile").get(pk=draft.pk)
        assert stored.profile.who_they_are == winner.json()["sections"]["profile"]["who_they_are"]
        assert stored.version == draft.version + 1
        assert winner["ETag"] == loser["ETag"] == f'"{stored.version}"'
        assert loser.json()["code"] == "stale" and loser.json()["current_version"] == stored.version


def test_two_section_saves_from_one_page_version_one_wins_the_other_keeps_its_typing(therapist, patient):
    for _round in range(ROUNDS):
        draft = EvaluationFactory(therapist=therapist, patient=patient)
        first, second = logged_in(therapist), logged_in(therapist)
        url = f"/evaluations/{draft.public_id}/profile/"
        loaded = first.get(url)
        data = {**page_data(loaded.context["editor"]), "loaded_version": loaded.context["loaded_version"]}

        results = race(
            partial(first.post, url, {**data, "section-who_they_are": "Typed in the first tab"}),
            partial(second.post, url, {**data, "section-who_they_are": "Typed in the second tab"}),
        )

        assert sorted(response.status_code for response in results) == [302, 409], results
        loser = next(r for r in results if r.status_code == 409)
        stored = Evaluation.objects.select_related("profile").get(pk=draft.pk)
        lost_text = (
            "Typed in the second tab"
            if stored.profile.who_they_are == "Typed in the first tab"
            else "Typed in the first tab"
        )
        page = loser.content.decode()
        assert "Saved elsewhere meanwhile: choose what to keep" in page
        assert lost_text in page  # nothing typed is lost from the loser's form
        assert f'name="loaded_version" value="{stored.version}"' in page


def test_two_clerks_editing_one_patient_at_once_lose_nothing(front_desk, therapist):
    for number in range(ROUNDS):
        patient = PatientFactory(registered_by=front_desk, city="", postal_code="")
        first, second = logged_in(front_desk), logged_in(therapist)
        data = edit_form_data(first, patient)
        url = f"/patients/{patient.public_id}/edit/"

        results = race(
            partial(first.post, url, {**data, "city": f"Buffalo {number}"}),
            partial(second.post, url, {**data, "postal_code": "14201"}),
        )

        assert sorted(response.status_code for response in results) == [302, 409], results
        loser = next(r for r in results if r.status_code == 409)
        stored = Patient.objects.get(pk=patient.pk)
        assert stored.version == patient.version + 1
        page = loser.content.decode()
        assert "while you were editing" in page
        # The loser's entry is in the form, on top of the winner's saved change.
        assert f'value="Buffalo {number}"' in page and 'value="14201"' in page


def test_simultaneous_registrations_of_one_person_create_one_patient(front_desk, therapist):
    for number in range(ROUNDS):
        person = {
            "given_name": "Ada",
            "family_name": f"Lovelace-{number}",
            "date_of_birth": "1950-12-10",
            "sex": "female",
        }
        first, second = token_client(front_desk), token_client(therapist)

        results = race(
            partial(first.post, "/api/v1/patients/", person, format="json"),
            partial(second.post, "/api/v1/patients/", {**person, "given_name": "ADA"}, format="json"),
        )

        assert sorted(response.status_code for response in results) == [201, 409], results
        assert Patient.objects.filter(family_name=f"Lovelace-{number}").count() == 1


def test_simultaneous_registrations_with_one_phone_create_one_patient(front_desk, therapist):
    for number in range(ROUNDS):
        phone = f"+1716555{1200 + number:04d}"
        first, second = token_client(front_desk), token_client(therapist)

        results = race(
            partial(
                first.post,
                "/api/v1/patients/",
                {
                    "given_name": "Ann",
                    "family_name": f"One-{number}",
                    "date_of_birth": "1960-01-01",
                    "phone": phone,
                },
                format="json",
            ),
            partial(
                second.post,
                "/api/v1/patients/",
                {
                    "given_name": "Bea",
                    "family_name": f"Two-{number}",
                    "date_of_birth": "1970-01-01",
                    "phone": phone,
                },
                format="json",
            ),
        )

        assert sorted(response.status_code for response in results) == [201, 409], results
        assert Patient.objects.filter(phone=phone).count() == 1


def test_two_tabs_autosaving_at_once_lose_nothing(therapist, patient):
    """Two tabs of one therapist autosave the same section at the same moment, one with an error:
    the valid one is saved, the other's entries are kept (never a server error, never half-saved)."""
    for _ in range(ROUNDS):
        draft = EvaluationFactory(therapist=therapist, patient=patient)
        page = logged_in(therapist).get(f"/evaluations/{draft.public_id}/assessment-and-plan/")
        base = {**page_data(page.context["editor"]), "loaded_version": page.context["loaded_version"]}
        url = f"/evaluations/{draft.public_id}/assessment-and-plan/autosave/"
        valid = {**base, "page_id": "firsttab", "section-assessment_summary": "Typed in the first tab"}
        invalid = {
            **base,
            "page_id": "secondtab",
            "section-assessment_summary": "Typed in the second tab",
            "section-sessions_per_week": "9",
        }

        results = race(
            partial(logged_in(therapist).post, url, valid), partial(logged_in(therapist).post, url, invalid)
        )

        assert not [r for r in results if isinstance(r, Exception)], results
        assert sorted(r.json()["state"] for r in results) in (["kept", "saved"], ["conflict", "kept"]), [
            r.json() for r in results
        ]
        stored = Evaluation.objects.get(pk=draft.pk)
        kept = SectionDraft.objects.get(evaluation=draft)
        assert kept.data["section-assessment_summary"] in (
            ["Typed in the second tab"],
            ["Typed in the first tab"],
        )
        assert kept.page == "secondtab"  # the first tab's save does not clear the second tab's entries
        assert stored.sessions_per_week is None  # the invalid value was never saved
        assert stored.assessment_summary in ("", "Typed in the first tab")
