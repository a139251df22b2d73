"""Every read of health information leaves an audit event, and so does a refused attempt."""

import pytest

from audit.choices import Action, Channel
from audit.models import AuditEvent
from tests.factories import EvaluationFactory, PatientFactory


def latest(**filters) -> AuditEvent:
    return AuditEvent.objects.filter(**filters).latest("id")


def test_the_api_evaluation_list_filtered_by_patient_is_audited_for_that_patient(
    api_client, front_desk, therapist, patient
):
    EvaluationFactory(therapist=therapist, patient=patient)
    EvaluationFactory(therapist=therapist)

    response = api_client(front_desk).get(f"/api/v1/evaluations/?patient={patient.public_id}")

    assert len(response.json()["results"]) == 1
    event = latest(actor=front_desk, action=Action.VIEW)
    assert (event.channel, event.record_type, event.patient_public_id) == (
        Channel.API,
        "evaluations.evaluation",
        patient.public_id,
    )
    assert event.listed_patient_ids == [str(patient.public_id)]


def test_the_api_evaluation_list_names_every_patient_on_the_page(api_client, front_desk, therapist):
    evaluations = EvaluationFactory.create_batch(3, therapist=therapist)

    api_client(front_desk).get("/api/v1/evaluations/")

    event = latest(actor=front_desk, action=Action.VIEW)
    assert event.patient_public_id is None
    assert event.listed_patient_ids == sorted(str(e.patient.public_id) for e in evaluations)


def test_the_chart_evaluation_panel_is_audited(page_client, front_desk, therapist, patient):
    EvaluationFactory(therapist=therapist, patient=patient)

    page_client(front_desk).get(f"/patients/{patient.public_id}/")

    panel = latest(actor=front_desk, record_type="evaluations.evaluation")
    assert (panel.action, panel.patient_public_id, panel.record_label) == (
        Action.VIEW,
        patient.public_id,
        "Evaluations on the chart",
    )


def test_the_front_desk_home_page_names_todays_registrations(page_client, front_desk):
    registered = PatientFactory.create_batch(2)

    page_client(front_desk).get("/")

    event = latest(actor=front_desk, record_type="home")
    assert event.action == Action.VIEW
    assert event.listed_patient_ids == sorted(str(patient.public_id) for patient in registered)


def test_the_therapist_home_page_names_the_patients_of_drafts_and_signatures(page_client, therapist):
    drafts = EvaluationFactory.create_batch(2, therapist=therapist)

    page_client(therapist).get("/")

    event = latest(actor=therapist, record_type="home")
    assert set(event.listed_patient_ids) >= {str(draft.patient.public_id) for draft in drafts}
    assert "2 drafts" in event.record_label


def test_an_empty_home_page_writes_no_event(page_client, clinic_admin):
    page_client(clinic_admin).get("/")

    assert not AuditEvent.objects.filter(actor=clinic_admin, record_type="home").exists()


def test_the_admin_patient_list_and_its_search_are_audited(page_client, clinic_admin):
    kowalski = PatientFactory(family_name="Kowalski")
    other = PatientFactory(family_name="Nguyen")
    client = page_client(clinic_admin)

    client.get("/admin/patients/patient/")
    listing = latest(actor=clinic_admin, record_type="patients.patient")
    client.get("/admin/patients/patient/?q=Kowalski")
    search = latest(actor=clinic_admin, record_type="patients.patient")

    assert (listing.action, listing.channel) == (Action.VIEW, Channel.ADMIN)
    assert listing.listed_patient_ids == sorted([str(kowalski.public_id), str(other.public_id)])
    assert (search.action, search.listed_patient_ids) == (Action.SEARCH, [str(kowalski.public_id)])
    assert "'Kowalski'" in search.record_label


def test_the_report_page_is_an_audited_view(page_client, therapist, patient):
    evaluation = EvaluationFactory(therapist=therapist, patient=patient)

    page_client(therapist).get(f"/evaluations/{evaluation.public_id}/report/")

    event = latest(actor=therapist)
    assert (event.action, event.record_id, event.patient_public_id) == (
        Action.VIEW,
        evaluation.public_id,
        patient.public_id,
    )


@pytest.mark.parametrize("suffix", ["", "report/", "report.pdf"])
def test_the_front_desk_refused_an_evaluations_content_is_audited(
    page_client, front_desk, therapist, patient, suffix
):
    evaluation = EvaluationFactory(therapist=therapist, patient=patient)

    response = page_client(front_desk).get(f"/evaluations/{evaluation.public_id}/{suffix}")

    assert response.status_code == 403
    event = latest(actor=front_desk)
    assert (event.action, event.record_id, event.patient_public_id, event.channel) == (
        Action.DENIED,
        evaluation.public_id,
        patient.public_id,
        Channel.PAGE,
    )


def test_a_refused_api_read_of_an_evaluation_is_audited(api_client, front_desk, therapist, patient):
    evaluation = EvaluationFactory(therapist=therapist, patient=patient)

    response = api_client(front_desk).get(f"/api/v1/evaluations/{evaluation.public_id}/")

    assert response.status_code == 403
    event = latest(actor=front_desk)
    assert (event.action, event.record_id, event.patient_public_id, event.channel) == (
        Action.DENIED,
        evaluation.public_id,
        patient.public_id,
        Channel.API,
    )
