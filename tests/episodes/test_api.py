"""The episode API over HTTP: episodes with their clock, visits from a scheduler, sending,
paper certifications, the caseload, and who may do what."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from audit.models import AuditEvent
from episodes.models import Certification, Visit
from tests.episodes.conftest import NPI
from tests.episodes.test_services import PDF
from tests.factories import EvaluationFactory, PatientFactory
from tests.queries import AUDIT_EVENT

pytestmark = pytest.mark.django_db


def days_ago(n):
    return (timezone.localdate() - timezone.timedelta(days=n)).isoformat()


def test_an_episode_reads_with_its_plan_certifications_and_due_items(api_client, therapist, episode):
    body = api_client(therapist).get(f"/api/v1/episodes/{episode.public_id}/").json()
    assert body["id"] == str(episode.public_id) and body["status"] == "open"
    assert body["treatment_days"] == 1
    kinds = {item["kind"]: item for item in body["due"]}
    assert kinds["certification"]["state"] == "upcoming"
    assert kinds["progress_report"]["due_on"] is None
    assert [c["state"] for c in body["certifications"]] == ["not_sent"]
    assert AuditEvent.objects.filter(action="view", record_id=episode.public_id).exists()


def test_the_episode_list_reads_in_a_fixed_number_of_queries(
    api_client, therapist, front_desk, episode, django_assert_num_queries
):
    api = api_client(therapist)
    for n in range(1, 4):
        api_client(front_desk).post(
            f"/api/v1/episodes/{episode.public_id}/visits/",
            {"visit_on": days_ago(n), "clinician": therapist.username},
        )
    api.get("/api/v1/episodes/")
    # token with its user, permissions (2), episodes, visits, certifications, sendings, progress reports
    # (no count: the list pages by cursor)
    with django_assert_num_queries(8 + AUDIT_EVENT):
        first = api.get("/api/v1/episodes/")
    assert first.json()["results"][0]["treatment_days"] == 4
    other = PatientFactory()
    from episodes.services import open_episode
    from tests.evaluations.test_report import signed

    open_episode(
        by=therapist,
        evaluation=signed(therapist, other, when=timezone.localdate() - timezone.timedelta(days=3)),
        referring_physician_name="Dr. B",
    )
    with django_assert_num_queries(8 + AUDIT_EVENT):
        assert len(api.get("/api/v1/episodes/").json()["results"]) == 2


def test_a_scheduler_posts_visits_and_a_repeat_is_a_409_naming_the_visit(
    api_client, front_desk, therapist, episode
):
    api = api_client(front_desk)
    url = f"/api/v1/episodes/{episode.public_id}/visits/"
    body = {
        "visit_on": days_ago(2),
        "clinician": therapist.username,
        "timed_minutes": 45,
        "interventions": ["home_program"],
    }
    created = api.post(url, body)
    assert created.status_code == 201, created.content
    assert created.json()["interventions"] == ["home_program"]
    again = api.post(url, body)
    assert again.status_code == 409
    assert again.json()["code"] == "duplicate_visit" and again.json()["visit"] == created.json()["id"]
    future = api.post(
        url, {**body, "visit_on": (timezone.localdate() + timezone.timedelta(days=1)).isoformat()}
    )
    assert future.status_code == 400 and "visit_on" in future.json()
    unknown = api.post(url, {**body, "clinician": "nobody", "visit_on": days_ago(1)})
    assert unknown.status_code == 400 and "clinician" in unknown.json()
    misspelt = api.post(url, {**body, "visit_date": days_ago(1)})
    assert misspelt.status_code == 400
    assert Visit.objects.count() == 1
    voided = api.post(f"{url}{created.json()['id']}/void/", {"reason": "Wrong patient"})
    assert voided.status_code == 200 and voided.json()["voided"] is True
    listed = api.get(f"{url}?count=true").json()
    assert listed["count"] == 1 and listed["results"][0]["void_reason"] == "Wrong patient"
    assert api_client().post(url, body).status_code == 401


def test_sending_and_a_paper_certification_over_the_api(
    api_client, therapist, front_desk, episode, settings, tmp_path
):
    settings.MEDIA_ROOT = str(tmp_path)
    certification = episode.certifications.get()
    url = f"/api/v1/certifications/{certification.public_id}/"
    assert (
        api_client(front_desk).post(f"{url}send/", {"method": "fax", "recipient": "716-555-0100"}).status_code
        == 403
    )
    fax = api_client(therapist).post(f"{url}send/", {"method": "fax", "recipient": "716-555-0100"})
    assert fax.status_code == 200 and fax.json()["state"] == "sent"
    assert fax.json()["sendings"][0]["method"] == "fax"
    bad = api_client(therapist).post(f"{url}send/", {"method": "email_link", "recipient": "not an address"})
    assert bad.status_code == 400 and "recipient" in bad.json()

    api = api_client(therapist)
    wrong = api.post(
        f"{url}paper/",
        {
            "document": SimpleUploadedFile("plan.pdf", b"GIF89a not a pdf"),
            "signed_on": days_ago(1),
            "physician_name": "Dr. Osler",
        },
        format="multipart",
    )
    assert wrong.status_code == 400 and "document" in wrong.json()
    signed = api.post(
        f"{url}paper/",
        {
            "document": SimpleUploadedFile("scan.pdf", PDF),
            "signed_on": days_ago(1),
            "physician_name": "Dr. Osler",
            "physician_npi": NPI,
        },
        format="multipart",
    )
    assert signed.status_code == 200, signed.content
    assert (signed.json()["state"], signed.json()["certified_by"], signed.json()["has_document"]) == (
        "certified",
        "paper",
        True,
    )
    assert Certification.objects.get().document_sha256 == signed.json()["document_sha256"]
    again = api.post(f"{url}send/", {"method": "fax", "recipient": "716-555-0100"})
    assert again.status_code == 409


def test_the_caseload_lists_due_items_most_urgent_first(api_client, therapist, clinic_admin, episode):
    body = api_client(therapist).get("/api/v1/caseload/").json()
    assert body["count"] == 3
    first = body["results"][0]
    assert (first["patient"], first["therapist"]) == (str(episode.patient.public_id), therapist.username)
    assert api_client(therapist).get("/api/v1/caseload/?who=clinic").status_code == 403
    assert api_client(clinic_admin).get("/api/v1/caseload/?who=clinic").json()["count"] == 3
    assert api_client(therapist).get("/api/v1/caseload/?state=late").status_code == 400
    assert api_client(therapist).get("/api/v1/caseload/?state=").status_code == 400
    assert api_client(therapist).get("/api/v1/caseload/?page_size=0").status_code == 400
    assert api_client(therapist).get("/api/v1/caseload/?state=overdue").json()["count"] == 0


def test_recertification_and_discharge_need_this_patients_signed_evaluations(api_client, therapist, episode):
    other_patients = EvaluationFactory(therapist=therapist)
    refused = api_client(therapist).post(
        f"/api/v1/episodes/{episode.public_id}/recertification/",
        {"evaluation": str(other_patients.public_id)},
    )
    assert refused.status_code == 404
    draft = EvaluationFactory(
        therapist=therapist,
        patient=episode.patient,
        kind="discharge",
        previous_evaluation=episode.initial_evaluation,
    )
    not_signed = api_client(therapist).post(
        f"/api/v1/episodes/{episode.public_id}/discharge/", {"evaluation": str(draft.public_id)}
    )
    assert not_signed.status_code == 400 and "evaluation" in not_signed.json()


@pytest.mark.parametrize(
    ("role", "reads", "records_visits", "sends"),
    [
        ("front_desk", 200, 201, 403),
        ("therapist", 200, 201, 200),
        ("assistant", 200, 201, 403),
        ("student", 200, 201, 403),
        ("clinic_admin", 200, 403, 403),
    ],
)
def test_the_permission_matrix_of_the_episode_api(
    api_client, therapist, episode, role, reads, records_visits, sends
):
    from tests.factories import AssistantFactory, ClinicAdminFactory, FrontDeskFactory, StudentFactory

    user = {
        "front_desk": FrontDeskFactory,
        "assistant": AssistantFactory,
        "student": StudentFactory,
        "clinic_admin": ClinicAdminFactory,
    }.get(role, lambda: therapist)()
    api = api_client(user)
    assert api.get(f"/api/v1/episodes/{episode.public_id}/").status_code == reads
    assert api.get("/api/v1/episodes/").status_code == reads
    visit = api.post(
        f"/api/v1/episodes/{episode.public_id}/visits/",
        {"visit_on": days_ago(1), "clinician": therapist.username},
    )
    assert visit.status_code == records_visits
    certification = episode.certifications.get()
    sent = api.post(
        f"/api/v1/certifications/{certification.public_id}/send/",
        {"method": "fax", "recipient": "7165550100"},
    )
    assert sent.status_code == sends
    assert api_client().get(f"/api/v1/episodes/{episode.public_id}/").status_code == 401


def test_a_paper_scan_is_served_to_staff_only_and_only_while_it_matches_its_hash(
    api_client, page_client, client, therapist, episode, settings, tmp_path
):
    settings.MEDIA_ROOT = str(tmp_path)
    certification = episode.certifications.get()
    api_client(therapist).post(
        f"/api/v1/certifications/{certification.public_id}/paper/",
        {
            "document": SimpleUploadedFile("scan.pdf", PDF),
            "signed_on": days_ago(1),
            "physician_name": "Dr. Osler",
        },
        format="multipart",
    )
    url = f"/episodes/{episode.public_id}/certifications/{certification.public_id}/document"
    assert client.get(url).status_code == 302  # to the log-in page
    served = page_client(therapist).get(url)
    assert served.status_code == 200 and served.content == PDF and served["Content-Type"] == "application/pdf"
    assert not list(tmp_path.glob("*.pdf"))  # kept under certifications/, never at a public path
    stored = next(tmp_path.rglob("*.pdf"))
    stored.write_bytes(PDF + b"tampered")
    assert page_client(therapist).get(url).status_code == 409
    assert AuditEvent.objects.filter(action="integrity_failed", record_id=certification.public_id).exists()
