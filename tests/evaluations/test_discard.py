"""A mistaken draft is discarded by its therapist (page and API), gone from every list and read,
kept in the history and the audit trail; a draft's date of service can be corrected."""

from datetime import timedelta

import pytest
from django.utils import timezone

from audit.models import AuditEvent
from evaluations.models import Evaluation, SectionDraft
from tests.evaluations.test_report import signed
from tests.factories import EvaluationFactory, TherapistFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(therapist, patient):
    return EvaluationFactory(therapist=therapist, patient=patient)


def url(evaluation, reason=""):
    return f"/api/v1/evaluations/{evaluation.public_id}/" + (f"?reason={reason}" if reason else "")


def test_the_page_asks_then_discards_and_the_draft_is_gone_but_kept(page_client, therapist, patient, draft):
    client = page_client(therapist)
    SectionDraft.objects.create(
        evaluation=draft, author=therapist, section="profile", data={}, loaded_version=1, reason="errors"
    )
    detail = client.get(f"/evaluations/{draft.public_id}/").content.decode()
    assert "Discard draft…" in detail
    ask = client.get(f"/evaluations/{draft.public_id}/discard/")
    assert "Nothing is deleted" in ask.content.decode()

    response = client.post(
        f"/evaluations/{draft.public_id}/discard/",
        {"reason": "Started for the wrong patient", "loaded_version": draft.version},
    )

    assert response.status_code == 302 and response["Location"] == f"/patients/{patient.public_id}/"
    kept = Evaluation.all_objects.get(pk=draft.pk)
    assert (kept.status, kept.discarded_by, kept.discard_reason) == (
        "discarded",
        therapist,
        "Started for the wrong patient",
    )
    assert kept.discarded_at is not None and kept.version == draft.version + 1
    assert not Evaluation.objects.filter(pk=draft.pk).exists()
    assert not SectionDraft.objects.exists()
    assert kept.history.first().status == "discarded"  # the history keeps every version
    event = AuditEvent.objects.get(action="discard")
    assert (event.actor, event.record_id) == (therapist, draft.public_id)
    chart = client.get(f"/patients/{patient.public_id}/").content.decode()
    assert "was discarded" in chart and "Draft</span>" not in chart
    assert client.get(f"/evaluations/{draft.public_id}/").status_code == 404
    assert client.get(f"/evaluations/{draft.public_id}/profile/").status_code == 404


def test_only_the_drafts_therapist_discards_it_and_never_a_signed_one(page_client, therapist, patient, draft):
    other = page_client(TherapistFactory())
    assert other.post(f"/evaluations/{draft.public_id}/discard/", {"loaded_version": 1}).status_code == 403
    evaluation = signed(therapist, patient)
    client = page_client(therapist)
    response = client.post(
        f"/evaluations/{evaluation.public_id}/discard/", {"loaded_version": evaluation.version}
    )
    assert response.status_code == 302 and response["Location"] == f"/evaluations/{evaluation.public_id}/"
    assert Evaluation.objects.get(pk=evaluation.pk).is_signed
    assert Evaluation.all_objects.filter(status="discarded").count() == 0


def test_a_stale_page_discards_nothing(page_client, therapist, draft):
    response = page_client(therapist).post(
        f"/evaluations/{draft.public_id}/discard/",
        {"loaded_version": draft.version - 1 if draft.version > 1 else 99},
    )
    assert response.status_code == 302
    assert Evaluation.objects.filter(pk=draft.pk).exists()


def test_the_api_discards_a_draft_with_if_match_and_refuses_signed_ones(
    api_client, therapist, patient, draft
):
    api = api_client(therapist)
    assert api.delete(url(draft)).status_code == 428  # the version it read is required
    assert api.delete(url(draft), HTTP_IF_MATCH='"99"').status_code == 412
    assert (
        api_client(TherapistFactory()).delete(url(draft), HTTP_IF_MATCH=f'"{draft.version}"').status_code
        == 403
    )
    response = api.delete(url(draft, "duplicate"), HTTP_IF_MATCH=f'"{draft.version}"')
    assert response.status_code == 204
    assert Evaluation.all_objects.get(pk=draft.pk).discard_reason == "duplicate"
    assert api.get(url(draft)).status_code == 404
    listed = api.get("/api/v1/evaluations/").json()
    assert str(draft.public_id) not in str(listed)
    assert api.delete(url(draft), HTTP_IF_MATCH=f'"{draft.version + 1}"').status_code == 404

    evaluation = signed(therapist, patient)
    refused = api.delete(url(evaluation), HTTP_IF_MATCH=f'"{evaluation.version}"')
    assert refused.status_code == 409
    assert "signed" in str(refused.json()).lower()
    assert Evaluation.objects.get(pk=evaluation.pk).is_signed


def test_a_discarded_draft_is_not_offered_as_a_baseline(page_client, therapist, patient):
    client = page_client(therapist)
    draft = EvaluationFactory(therapist=therapist, patient=patient)
    client.post(f"/evaluations/{draft.public_id}/discard/", {"loaded_version": draft.version})
    page = client.get(f"/patients/{patient.public_id}/evaluations/new/")
    assert str(draft.public_id) not in page.content.decode()


def test_a_drafts_date_of_service_is_corrected_and_a_far_date_asks_first(page_client, therapist, draft):
    client = page_client(therapist)
    page = f"/evaluations/{draft.public_id}/date/"
    yesterday = timezone.localdate() - timedelta(days=1)
    response = client.post(page, {"date_of_service": yesterday.isoformat(), "loaded_version": draft.version})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.date_of_service == yesterday
    assert AuditEvent.objects.filter(action="update", changed_fields=["date_of_service"]).exists()

    far = timezone.localdate() - timedelta(days=45)
    asked = client.post(page, {"date_of_service": far.isoformat(), "loaded_version": draft.version})
    assert asked.status_code == 400
    html = asked.content.decode()
    assert "more than 30 days ago" in html and "Yes, this date is right" in html
    draft.refresh_from_db()
    assert draft.date_of_service == yesterday  # not until confirmed
    confirmed = client.post(
        page, {"date_of_service": far.isoformat(), "confirm_date": "on", "loaded_version": draft.version}
    )
    assert confirmed.status_code == 302
    draft.refresh_from_db()
    assert draft.date_of_service == far

    future = client.post(
        page,
        {
            "date_of_service": (timezone.localdate() + timedelta(days=3)).isoformat(),
            "loaded_version": draft.version,
        },
    )
    assert future.status_code == 400 and "cannot be in the future" in future.content.decode()


def test_a_re_evaluations_date_stays_after_its_baseline(page_client, therapist, patient):
    baseline = signed(therapist, patient, when=timezone.localdate() - timedelta(days=20))
    follow_up = EvaluationFactory(
        therapist=therapist, patient=patient, kind="re_evaluation", previous_evaluation=baseline
    )
    response = page_client(therapist).post(
        f"/evaluations/{follow_up.public_id}/date/",
        {
            "date_of_service": (baseline.date_of_service - timedelta(days=1)).isoformat(),
            "loaded_version": follow_up.version,
        },
    )
    assert response.status_code == 400
    assert "before the evaluation this one is compared with" in response.content.decode()


def test_starting_an_evaluation_far_back_asks_for_confirmation(page_client, therapist, patient):
    client = page_client(therapist)
    far = (timezone.localdate() - timedelta(days=40)).isoformat()
    start = f"/patients/{patient.public_id}/evaluations/new/"
    asked = client.post(start, {"kind": "initial", "date_of_service": far})
    assert asked.status_code == 200 and "Yes, this date is right" in asked.content.decode()
    assert not Evaluation.objects.exists()
    started = client.post(start, {"kind": "initial", "date_of_service": far, "confirm_date": "on"})
    assert started.status_code == 302
    assert Evaluation.objects.get().date_of_service.isoformat() == far
