"""The issue's whole path in one test, through the doors people use: a therapist opens the episode
from a signed evaluation and sends the plan; the worker emails the link; the physician signs it;
the scheduler posts visits; the caseload shows the progress report due on the 10th treatment day
and the recertification before day 90; the chart, the API and the audit trail all show it."""

import re

from django.core import mail
from django.utils import timezone

from audit.models import AuditEvent
from episodes.models import Episode
from tests.episodes.conftest import NPI, run_jobs
from tests.episodes.test_services import committed
from tests.evaluations.test_report import signed


@committed
def test_from_a_signed_evaluation_to_the_caseload(
    page_client, api_client, client, therapist, front_desk, patient
):
    start = timezone.localdate() - timezone.timedelta(days=30)
    evaluation = signed(therapist, patient, when=start, assessment_and_plan__duration_weeks=16)
    pages = page_client(therapist)
    pages.post(
        f"/episodes/new/{evaluation.public_id}/",
        {
            "payer_type": "medicare",
            "referring_physician_name": "Dr. Ada Osler",
            "referring_physician_npi": NPI,
            "referring_physician_email": "osler@example.org",
        },
    )
    episode = Episode.objects.get()
    certification = episode.certifications.get()
    assert certification.period_end == start + timezone.timedelta(days=89)  # 16 weeks capped at 90 days
    pages.post(
        f"/episodes/{episode.public_id}/certifications/{certification.public_id}/send/",
        {"method": "email_link", "recipient": "osler@example.org"},
    )
    run_jobs()
    token = re.search(r"/sign/(\S+)", mail.outbox[-1].body).group(1)
    client.logout()
    client.post(
        f"/sign/{token}",
        {"physician_name": "Ada Osler", "physician_npi": NPI, "attested": "on", "decision": "certify"},
    )

    scheduler = api_client(front_desk)
    visit_days = [start + timezone.timedelta(days=n) for n in (2, 5, 9, 12, 16, 19, 23, 26, 29)]
    for day in visit_days:
        posted = scheduler.post(
            f"/api/v1/episodes/{episode.public_id}/visits/",
            {"visit_on": day.isoformat(), "clinician": therapist.username},
        )
        assert posted.status_code == 201, posted.content

    due = {item["kind"]: item for item in api_client(therapist).get("/api/v1/caseload/").json()["results"]}
    assert "certification" not in due
    assert (
        due["progress_report"]["due_on"] == visit_days[-1].isoformat()
    )  # the evaluation and 9 visits: day 10
    assert due["progress_report"]["state"] == "overdue"
    assert due["recertification"]["due_on"] == (start + timezone.timedelta(days=89)).isoformat()

    chart = page_client(therapist).get(f"/patients/{patient.public_id}/").content.decode()
    assert "Initial certification signed by Ada Osler" in chart and "Treatment day 10" in chart
    assert "Progress report" in chart and "Recertification" in chart
    actions = set(
        AuditEvent.objects.filter(patient_public_id=patient.public_id).values_list("action", flat=True)
    )
    assert {"create", "send", "certify", "view"} <= actions
    caseload = AuditEvent.objects.filter(action="search", record_label="Caseload").latest("occurred_at")
    assert str(patient.public_id) in caseload.listed_patient_ids
