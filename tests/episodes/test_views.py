"""The episode pages over HTTP: the chart panel, opening an episode, recording a visit, sending,
the physician's signing page and the caseload."""

import re

import pytest
from django.core import mail
from django.utils import timezone

from audit.models import AuditEvent
from episodes.models import Certification, Episode, Visit
from tests.episodes.conftest import NPI, run_jobs
from tests.episodes.test_services import committed
from tests.factories import PatientFactory

pytestmark = pytest.mark.django_db


def test_the_chart_offers_to_open_the_episode_and_the_page_opens_it(
    page_client, therapist, patient, evaluation
):
    client = page_client(therapist)
    chart = client.get(f"/patients/{patient.public_id}/").content.decode()
    assert f"/episodes/new/{evaluation.public_id}/" in chart
    refused = client.post(
        f"/episodes/new/{evaluation.public_id}/",
        {"payer_type": "medicare", "referring_physician_name": ""},
    )
    assert refused.status_code == 400 and "This field is required" in refused.content.decode()
    opened = client.post(
        f"/episodes/new/{evaluation.public_id}/",
        {
            "payer_type": "medicare",
            "referring_physician_name": "Dr. Ada Osler",
            "referring_physician_npi": NPI,
        },
    )
    episode = Episode.objects.get()
    assert opened.status_code == 302 and opened["Location"] == f"/episodes/{episode.public_id}/"
    page = client.get(opened["Location"]).content.decode()
    assert "Initial certification of the plan of care" in page and "Not sent" in page
    chart = client.get(f"/patients/{patient.public_id}/").content.decode()
    assert "Episodes of care" in chart and f"/episodes/{episode.public_id}/" in chart


def test_the_front_desk_records_a_visit_and_sees_its_errors(page_client, front_desk, therapist, episode):
    client = page_client(front_desk)
    url = f"/episodes/{episode.public_id}/visits/"
    yesterday = timezone.localdate() - timezone.timedelta(days=1)
    bad = client.post(
        url,
        {
            "visit_on": (timezone.localdate() + timezone.timedelta(days=2)).isoformat(),
            "attendance": "attended",
            "clinician": therapist.pk,
        },
    )
    assert bad.status_code == 400 and "ahead of its day" in bad.content.decode()
    assert not Visit.objects.exists()
    good = client.post(
        url,
        {
            "visit_on": yesterday.isoformat(),
            "attendance": "attended",
            "clinician": therapist.pk,
            "timed_minutes": "45",
        },
    )
    assert good.status_code == 302
    assert Visit.objects.get().timed_minutes == 45
    assert (
        client.post(
            f"/episodes/{episode.public_id}/certifications/{episode.certifications.get().public_id}/send/", {}
        ).status_code
        == 403
    )


def test_the_episode_page_reads_in_a_fixed_number_of_queries(
    page_client, therapist, episode, django_assert_max_num_queries
):
    client = page_client(therapist)
    for n in range(1, 6):
        client.post(
            f"/episodes/{episode.public_id}/visits/",
            {
                "visit_on": (timezone.localdate() - timezone.timedelta(days=n)).isoformat(),
                "attendance": "attended",
                "clinician": therapist.pk,
            },
        )
    client.get(f"/episodes/{episode.public_id}/")
    with django_assert_max_num_queries(20) as few:
        client.get(f"/episodes/{episode.public_id}/")
    count = len(few.captured_queries)
    for n in range(6, 12):
        client.post(
            f"/episodes/{episode.public_id}/visits/",
            {
                "visit_on": (timezone.localdate() - timezone.timedelta(days=n)).isoformat(),
                "attendance": "attended",
                "clinician": therapist.pk,
            },
        )
    with django_assert_max_num_queries(count):
        client.get(f"/episodes/{episode.public_id}/")


def token_from_outbox() -> str:
    return re.search(r"/sign/(\S+)", mail.outbox[-1].body).group(1)


@committed
def test_the_physician_signs_through_the_link_on_a_page_without_the_clinics_links(
    client, page_client, therapist, episode
):
    other = PatientFactory(family_name="Someoneelse")
    certification = episode.certifications.get()
    sent = page_client(therapist).post(
        f"/episodes/{episode.public_id}/certifications/{certification.public_id}/send/",
        {"method": "email_link", "recipient": "osler@example.org"},
    )
    assert sent.status_code == 302
    run_jobs()
    token = token_from_outbox()
    client.logout()
    page = client.get(f"/sign/{token}")
    html = page.content.decode()
    assert page.status_code == 200
    assert episode.patient.family_name in html and other.family_name not in html
    assert "I certify the need for these services" in html
    hrefs = re.findall(r'href="([^"]+)"', html)
    assert [href for href in hrefs if not href.startswith("/static/")] == [f"/sign/{token}/plan.pdf"]
    plan = client.get(f"/sign/{token}/plan.pdf")
    assert plan.status_code == 200 and plan["Content-Type"] == "application/pdf"
    from tests.evaluations.test_report import pdf_text

    assert "Summary for the referring physician" in pdf_text(plan)
    assert AuditEvent.objects.filter(
        action="export", actor__isnull=True, record_id=episode.initial_evaluation.public_id
    ).exists()
    assert AuditEvent.objects.filter(
        action="view", record_id=certification.public_id, actor__isnull=True
    ).exists()

    unattested = client.post(
        f"/sign/{token}", {"physician_name": "Ada Osler", "physician_npi": NPI, "decision": "certify"}
    )
    assert unattested.status_code == 400 and "Tick the certification statement" in unattested.content.decode()
    done = client.post(
        f"/sign/{token}",
        {"physician_name": "Ada Osler", "physician_npi": NPI, "attested": "on", "decision": "certify"},
    )
    assert done.status_code == 200 and "the plan of care is signed" in done.content.decode()
    assert Certification.objects.get().state == "certified"
    assert client.get(f"/sign/{token}").status_code == 410  # spent
    assert client.get(f"/sign/{token[:-2]}xx").status_code == 404


@committed
def test_guessing_links_is_stopped_after_ten_tries(client, settings):
    for n in range(settings.SIGNING_LINK_FAILURES):
        assert client.get(f"/sign/guess{n}").status_code == 404
    assert client.get("/sign/guess-again").status_code == 429
    assert AuditEvent.objects.filter(action="link_refused").count() == settings.SIGNING_LINK_FAILURES


def test_the_caseload_shows_what_is_due_and_the_clinic_wide_view_is_for_admins(
    page_client, therapist, clinic_admin, episode
):
    mine = page_client(therapist).get("/caseload/")
    html = mine.content.decode()
    assert mine.status_code == 200 and episode.patient.display_name in html
    assert "Initial certification of the plan of care" in html
    overdue = page_client(therapist).get("/caseload/?show=overdue").content.decode()
    assert "Initial certification of the plan of care" not in overdue  # due in 10 days
    clinic = page_client(clinic_admin).get("/caseload/?who=clinic").content.decode()
    assert episode.patient.display_name in clinic
    alone = page_client(clinic_admin).get("/caseload/").content.decode()
    assert episode.patient.display_name not in alone  # an admin has no caseload of their own


def test_a_fax_sending_has_its_cover_sheet_as_a_pdf(page_client, therapist, episode):
    from tests.evaluations.test_report import pdf_text

    client = page_client(therapist)
    certification = episode.certifications.get()
    sent = client.post(
        f"/episodes/{episode.public_id}/certifications/{certification.public_id}/send/",
        {"method": "fax", "recipient": "(716) 555-0100"},
    )
    assert sent.status_code == 302
    sending = certification.sendings.get()
    page = client.get(f"/episodes/{episode.public_id}/").content.decode()
    cover_url = f"/episodes/{episode.public_id}/certifications/{certification.public_id}/fax/{sending.public_id}/cover.pdf"
    assert cover_url in page
    cover = client.get(cover_url)
    assert cover["Content-Type"] == "application/pdf"
    text = pdf_text(cover)
    assert "FAX" in text and episode.referring_physician_name in text and episode.patient.family_name in text
    assert "CONFIDENTIAL" in text and "(716) 555-0100" in text
    assert AuditEvent.objects.filter(action="export", record_id=certification.public_id).exists()


def test_the_chart_shows_each_episodes_timeline_in_a_fixed_number_of_queries(
    page_client, therapist, front_desk, episode, django_assert_max_num_queries
):
    from episodes.services import record_visit

    record_visit(
        by=front_desk,
        episode=episode,
        visit_on=timezone.localdate() - timezone.timedelta(days=9),
        clinician=therapist,
    )
    client = page_client(therapist)
    chart = client.get(f"/patients/{episode.patient.public_id}/")
    html = chart.content.decode()
    assert "Timeline (2 events)" in html and "Treatment day 2" in html and "Initial evaluation by" in html
    with django_assert_max_num_queries(40) as counted:
        client.get(f"/patients/{episode.patient.public_id}/")
    for n in range(1, 5):
        record_visit(
            by=front_desk,
            episode=episode,
            visit_on=timezone.localdate() - timezone.timedelta(days=n),
            clinician=therapist,
        )
    with django_assert_max_num_queries(len(counted.captured_queries)):
        assert "Treatment day 6" in client.get(f"/patients/{episode.patient.public_id}/").content.decode()
