"""Supervised clinicians: an assistant drafts progress reports, a student evaluations; neither signs
alone. The supervising therapist co-signs (the record is sealed as any signed record) or returns
the draft with a note; while submitted, the draft does not change."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from audit.models import AuditEvent
from evaluations.choices import EvaluationKind
from evaluations.services import (
    SubmittedForCosignature,
    return_for_changes,
    save_sections,
    sign_evaluation,
    start_evaluation,
    submit_for_cosignature,
    verify_seal,
)
from tests.conftest import PASSWORD
from tests.evaluations.content import as_sections, full_content
from tests.evaluations.records import record_of
from tests.evaluations.test_report import signed
from tests.factories import AssistantFactory, StudentFactory, TherapistFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def student():
    return StudentFactory(username="ots")


@pytest.fixture
def supervisor():
    return TherapistFactory(username="supervisor")


def completed_by(author, patient, **start):
    draft = start_evaluation(by=author, patient=patient, date_of_service=timezone.localdate(), **start)
    content = full_content(
        draft.date_of_service,
        **({"cpt_code": ""} if start.get("kind") == EvaluationKind.PROGRESS_REPORT else {}),
    )
    if start.get("previous_evaluation"):
        for number, goal in enumerate(content["assessment_and_plan"]["goals"], start=1):
            goal |= {"baseline_goal": number, "status": "continued"}
    save_sections(record=record_of(draft, author), by=author, contents=as_sections(content))
    draft.refresh_from_db()
    return draft


def test_an_assistant_drafts_progress_reports_only(therapist, patient):
    assistant = AssistantFactory()
    with pytest.raises(PermissionDenied):
        start_evaluation(by=assistant, patient=patient, date_of_service=timezone.localdate())
    baseline = signed(therapist, patient, when=timezone.localdate() - timezone.timedelta(days=14))
    report = start_evaluation(
        by=assistant,
        patient=patient,
        kind=EvaluationKind.PROGRESS_REPORT,
        date_of_service=timezone.localdate(),
        previous_evaluation=baseline,
    )
    assert report.therapist == assistant


def test_a_student_cannot_sign_alone_and_the_supervisor_co_signs_a_sealed_record(
    student, supervisor, patient
):
    draft = completed_by(student, patient)
    with pytest.raises(PermissionDenied):
        sign_evaluation(record=record_of(draft, student), by=student, password=PASSWORD)
    with pytest.raises(PermissionDenied):  # not submitted yet
        sign_evaluation(record=record_of(draft, supervisor), by=supervisor, password=PASSWORD)
    with pytest.raises(ValidationError):
        submit_for_cosignature(
            record=record_of(draft, student), by=student, cosigner=supervisor, password="wrong"
        )
    submit_for_cosignature(
        record=record_of(draft, student), by=student, cosigner=supervisor, password=PASSWORD
    )
    draft.refresh_from_db()
    assert (draft.cosigner, draft.status) == (supervisor, "draft") and draft.submitted_at

    with pytest.raises(SubmittedForCosignature):  # the author cannot change it while it waits
        save_sections(
            record=record_of(draft, student),
            by=student,
            contents=as_sections({"assessment_and_plan": {"home_program": "x"}}),
        )
    other = TherapistFactory()
    with pytest.raises(PermissionDenied):  # only the therapist asked
        sign_evaluation(record=record_of(draft, other), by=other, password=PASSWORD)

    record = sign_evaluation(record=record_of(draft, supervisor), by=supervisor, password=PASSWORD)
    evaluation = record.evaluation
    assert (evaluation.status, evaluation.therapist, evaluation.signed_by) == ("signed", student, supervisor)
    assert verify_seal(record=record_of(evaluation, supervisor), by=supervisor).state == "intact"
    assert AuditEvent.objects.filter(action="sign", actor=supervisor, record_id=evaluation.public_id).exists()


def test_the_supervisor_returns_a_draft_with_a_note_and_the_author_edits_again(student, supervisor, patient):
    draft = completed_by(student, patient)
    submit_for_cosignature(
        record=record_of(draft, student), by=student, cosigner=supervisor, password=PASSWORD
    )
    with pytest.raises(PermissionDenied):
        return_for_changes(evaluation=draft, by=student, note="self")
    with pytest.raises(ValidationError):
        return_for_changes(evaluation=draft, by=supervisor, note=" ")
    return_for_changes(evaluation=draft, by=supervisor, note="Add the TUG to the physical section.")
    draft.refresh_from_db()
    assert draft.submitted_at is None and draft.cosign_note == "Add the TUG to the physical section."
    save_sections(
        record=record_of(draft, student),
        by=student,
        contents=as_sections({"assessment_and_plan": {"home_program": "Walk daily."}}),
    )


def test_a_therapist_signs_alone_and_cannot_submit(therapist, supervisor, patient):
    draft = completed_by(therapist, patient)
    with pytest.raises(PermissionDenied):
        submit_for_cosignature(
            record=record_of(draft, therapist), by=therapist, cosigner=supervisor, password=PASSWORD
        )
    student = StudentFactory()
    with pytest.raises(ValidationError):  # a co-signer must be a therapist
        submit_for_cosignature(
            record=record_of(completed_by(student, patient), student),
            by=student,
            cosigner=StudentFactory(),
            password=PASSWORD,
        )


def test_the_pages_submit_queue_co_sign_and_return(page_client, student, supervisor, patient):
    draft = completed_by(student, patient)
    author = page_client(student)
    detail = author.get(f"/evaluations/{draft.public_id}/").content.decode()
    assert "Submit for co-signature…" in detail
    page = author.get(f"/evaluations/{draft.public_id}/sign/")
    assert page.status_code == 200 and "Supervising therapist who co-signs" in page.content.decode()
    wrong = author.post(
        f"/evaluations/{draft.public_id}/sign/",
        {"cosigner": supervisor.pk, "password": "nope", "loaded_version": draft.version},
    )
    assert wrong.status_code == 200 and "That is not your password." in wrong.content.decode()
    sent = author.post(
        f"/evaluations/{draft.public_id}/sign/",
        {"cosigner": supervisor.pk, "password": PASSWORD, "loaded_version": draft.version},
    )
    assert sent.status_code == 302
    assert "for co-signature" in author.get(f"/evaluations/{draft.public_id}/").content.decode()

    reviewer = page_client(supervisor)
    queue = reviewer.get("/caseload/").content.decode()
    assert "Waiting for your co-signature" in queue and f"/evaluations/{draft.public_id}/sign/" in queue
    returned = reviewer.post(f"/evaluations/{draft.public_id}/return/", {"note": "Add the TUG."})
    assert returned.status_code == 302
    author = page_client(student)  # one test client: log in as whoever acts next
    assert "Returned by" in author.get(f"/evaluations/{draft.public_id}/").content.decode()

    draft.refresh_from_db()
    author.post(
        f"/evaluations/{draft.public_id}/sign/",
        {"cosigner": supervisor.pk, "password": PASSWORD, "loaded_version": draft.version},
    )
    draft.refresh_from_db()
    reviewer = page_client(supervisor)
    signed_page = reviewer.post(
        f"/evaluations/{draft.public_id}/sign/", {"password": PASSWORD, "loaded_version": draft.version}
    )
    assert signed_page.status_code == 302
    draft.refresh_from_db()
    assert draft.status == "signed" and draft.signed_by == supervisor
    assert "co-signed" in reviewer.get(f"/evaluations/{draft.public_id}/").content.decode()


def test_only_the_therapist_asked_co_signs_or_returns(page_client, student, supervisor, patient):
    draft = completed_by(student, patient)
    submit_for_cosignature(
        record=record_of(draft, student), by=student, cosigner=supervisor, password=PASSWORD
    )
    other = page_client(TherapistFactory())
    assert other.get(f"/evaluations/{draft.public_id}/sign/").status_code == 403
    assert other.post(f"/evaluations/{draft.public_id}/return/", {"note": "x"}).status_code == 403
    draft.refresh_from_db()
    assert draft.submitted_at is not None


def test_submit_return_and_co_sign_over_the_api(api_client, student, supervisor, patient):
    draft = completed_by(student, patient)
    url = f"/api/v1/evaluations/{draft.public_id}/"
    author = api_client(student)
    assert author.post(f"{url}sign/", {"password": PASSWORD}).status_code == 403
    refused = author.post(f"{url}submit/", {"cosigner": "nobody", "password": PASSWORD})
    assert refused.status_code == 400 and "cosigner" in refused.json()
    submitted = author.post(f"{url}submit/", {"cosigner": supervisor.username, "password": PASSWORD})
    assert submitted.status_code == 200, submitted.content
    assert author.patch(url, {"assessment_and_plan": {"home_program": "x"}}).status_code == 409
    reviewer = api_client(supervisor)
    assert reviewer.post(f"{url}return/", {"note": "Add the TUG."}).status_code == 200
    assert (
        author.post(f"{url}submit/", {"cosigner": supervisor.username, "password": PASSWORD}).status_code
        == 200
    )
    cosigned = reviewer.post(f"{url}sign/", {"password": PASSWORD})
    assert cosigned.status_code == 200, cosigned.content
    draft.refresh_from_db()
    assert (draft.status, draft.signed_by, draft.therapist) == ("signed", supervisor, student)
