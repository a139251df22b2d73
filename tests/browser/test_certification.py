"""The plan of care from signature to certification in a real browser: the therapist opens the
episode and sends the plan; the worker emails the link; the physician, with no account, signs it;
the chart and the caseload show it certified."""

import re

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import TIMEOUT_MS
from tests.browser.test_therapist import log_in
from tests.episodes.conftest import NPI, run_jobs
from tests.evaluations.test_report import signed
from tests.factories import PatientFactory, TherapistFactory


@pytest.mark.browser
@pytest.mark.usefixtures("live_db")
def test_a_plan_is_sent_and_the_physician_signs_it_through_the_link(
    page: Page, browser: Browser, live_server
):
    therapist = TherapistFactory(username="ot")
    patient = PatientFactory(
        family_name="Kowalski", referring_physician_name="Dr. Ada Osler", referring_physician_npi=NPI
    )
    signed(therapist, patient, when=timezone.localdate() - timezone.timedelta(days=6))
    log_in(page, live_server.url, "ot")

    page.goto(f"{live_server.url}/patients/{patient.public_id}/")
    page.get_by_role("link", name="Open the episode of care").click()
    expect(page.get_by_label("Referring physician")).to_have_value("Dr. Ada Osler")
    page.get_by_label("Physician's email (for the signing link)").fill("osler@example.org")
    page.get_by_role("button", name="Open the episode").click()
    expect(page.get_by_text("Episode of care opened.")).to_be_visible()
    expect(page.locator("#due-heading + ul")).to_contain_text("Initial certification of the plan of care")

    page.get_by_text("Send the plan for certification").click()
    page.get_by_label("Secure signing link by email").check()
    expect(page.get_by_label("To (email address or fax number)")).to_have_value("osler@example.org")
    page.get_by_role("button", name="Send", exact=True).click()
    expect(page.get_by_text("Plan of care sent for certification.")).to_be_visible()
    expect(page.get_by_text("Sent, waiting for the physician")).to_be_visible()

    run_jobs()  # the worker emails the link
    (message,) = mail.outbox
    link = re.search(r"http://\S+/sign/(\S+)", message.body).group(1)

    physician = browser.new_context()  # no session of the clinic's
    physician.set_default_timeout(TIMEOUT_MS)
    sign = physician.new_page()
    sign.goto(f"{live_server.url}/sign/{link}")
    expect(sign.get_by_role("heading", level=1)).to_contain_text("Plan of care for")
    expect(sign.get_by_role("heading", level=1)).to_contain_text("Kowalski")
    expect(sign.get_by_role("link")).to_have_count(
        1
    )  # the plan as a PDF, nothing into the clinic's application
    expect(sign.get_by_role("link")).to_have_text("Download the plan of care (PDF)")
    sign.get_by_role("button", name="Sign the plan of care").click()
    expect(sign.get_by_text("Tick the certification statement to sign.")).to_be_visible()
    expect(sign.get_by_label("Your NPI")).to_have_value(NPI)
    sign.get_by_label(re.compile("I certify the need for these services")).check()
    sign.get_by_role("button", name="Sign the plan of care").click()
    expect(sign.get_by_role("heading", level=1)).to_have_text("Thank you: the plan of care is signed")
    sign.goto(f"{live_server.url}/sign/{link}")
    expect(sign.get_by_role("heading", level=1)).to_have_text("This link is not valid")
    physician.close()

    page.reload()
    expect(page.get_by_text(re.compile(r"Signed \d\d/\d\d/\d{4} by Dr. Ada Osler"))).to_be_visible()
    page.goto(f"{live_server.url}/caseload/")
    expect(page.get_by_role("table")).not_to_contain_text("Initial certification of the plan of care")
    expect(page.get_by_role("table")).to_contain_text("Progress report")
