import pytest

from audit.models import AuditEvent
from evaluations.models import Evaluation
from evaluations.services import save_sections, sign_evaluation
from tests.evaluations.content import as_sections, full_content
from tests.evaluations.records import record_of
from tests.factories import EvaluationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed(therapist, patient):
    evaluation = EvaluationFactory(therapist=therapist, patient=patient)
    save_sections(
        record=record_of(evaluation, therapist),
        by=therapist,
        contents=as_sections(full_content(evaluation.date_of_service)),
    )
    return sign_evaluation(
        record=record_of(evaluation, therapist), by=therapist, password="correct horse battery"
    ).evaluation


def test_admin_finds_evaluations_by_patient_and_therapist(page_client, clinic_admin, signed):
    client = page_client(clinic_admin)
    assert "Kowalski" in client.get("/admin/evaluations/evaluation/", {"q": "kowal"}).content.decode()
    assert "Kowalski" in client.get("/admin/evaluations/evaluation/", {"q": "ot"}).content.decode()
    assert (
        "Kowalski"
        in client.get("/admin/evaluations/evaluation/", {"status__exact": "signed"}).content.decode()
    )


def test_signed_evaluations_are_read_only_in_the_admin(page_client, clinic_admin, signed):
    client = page_client(clinic_admin)

    page = client.get(f"/admin/evaluations/evaluation/{signed.pk}/change/")
    refused = client.post(
        f"/admin/evaluations/evaluation/{signed.pk}/change/",
        {"assessment_summary": "changed", "sessions_per_week": 5},
    )
    deleted = client.post(f"/admin/evaluations/evaluation/{signed.pk}/delete/", {"post": "yes"})

    assert page.status_code == 200 and 'name="assessment_summary"' not in page.content.decode()
    assert (refused.status_code, deleted.status_code) == (403, 403)
    signed.refresh_from_db()
    assert (signed.sessions_per_week, signed.status) == (2, "signed")
    assert (
        AuditEvent.objects.filter(
            action="view", channel="admin", record_type="evaluations.evaluation"
        ).count()
        == 1
    )


def test_front_desk_and_therapists_have_no_admin(page_client, front_desk, signed):
    assert page_client(front_desk).get("/admin/evaluations/evaluation/").status_code == 302
    assert Evaluation.objects.count() == 1


def test_posting_to_a_history_version_cannot_unsign_or_rewrite(page_client, clinic_admin, signed):
    client = page_client(clinic_admin)
    first = signed.history.earliest("history_date")

    assert client.get(f"/admin/evaluations/evaluation/{signed.pk}/history/").status_code == 200
    assert (
        client.get(f"/admin/evaluations/evaluation/{signed.pk}/history/{first.history_id}/").status_code
        == 200
    )
    refused = client.post(f"/admin/evaluations/evaluation/{signed.pk}/history/{first.history_id}/", {})

    assert refused.status_code == 403
    signed.refresh_from_db()
    assert (signed.status, signed.signed_by_id is not None) == ("signed", True)
    views = AuditEvent.objects.filter(action="view", channel="admin", record_type="evaluations.evaluation")
    assert views.count() == 2
