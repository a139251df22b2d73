"""The front desk's daily path in a real browser: log in, register a patient, find them, open the chart."""

import re

import pytest
from playwright.sync_api import Page, expect

from patients.models import Patient
from tests.factories import FrontDeskFactory, PatientFactory

PASSWORD = "correct horse battery"
CHART_URL = re.compile(r"/patients/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/$")


def log_in(page: Page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(f"{base_url}/")


def fill_required_details(page: Page) -> None:
    page.get_by_label("Given name").fill("Joan")
    page.get_by_label("Family name").fill("Kowalski")
    page.get_by_label("Date of birth").fill("1951-04-12")


@pytest.mark.browser
@pytest.mark.usefixtures("live_db")
def test_front_desk_registers_a_patient_finds_them_by_a_name_fragment_and_opens_the_chart(
    page: Page, live_server
):
    desk = FrontDeskFactory(username="desk", first_name="Dana")
    PatientFactory(given_name="Adam", family_name="Nowak", date_of_birth="1960-01-02", registered_by=desk)
    base_url = live_server.url

    log_in(page, base_url, "desk")
    expect(page.get_by_role("heading", name="Good to see you, Dana")).to_be_visible()

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Register patient").click()
    expect(page).to_have_url(f"{base_url}/patients/new/")
    expect(page.get_by_role("heading", name="Register a patient")).to_be_visible()

    fill_required_details(page)
    page.get_by_label("Preferred name").fill("Jo")
    page.get_by_label("Administrative sex").select_option("female")
    page.get_by_label("Preferred language").select_option("pl")
    page.get_by_label("Phone", exact=True).fill("716-555-0142")
    page.get_by_label("Email").fill("joan.kowalski@example.com")
    page.get_by_label("Address", exact=True).fill("12 Elmwood Ave")
    page.get_by_label("City").fill("Buffalo")
    page.get_by_label("State").select_option("NY")
    page.get_by_label("ZIP code").fill("14201")
    page.get_by_label("Emergency contact", exact=True).fill("Piotr Kowalski")
    page.get_by_label("Relationship to patient").fill("Son")
    page.get_by_label("Emergency contact phone").fill("716-555-0199")
    page.get_by_label("Referring physician", exact=True).fill("Dr. Maria Lopez")
    page.get_by_label("Referring physician NPI").fill("1234567893")
    page.get_by_label("Diagnoses (ICD-10-CM)").fill("M25.551, Z96.641")
    page.get_by_label("Insurance payer").fill("Independent Health")
    page.get_by_label("Insurance member ID").fill("IH123456789")
    page.get_by_role("button", name="Save patient").click()

    expect(page).to_have_url(CHART_URL)
    chart_url = page.url
    patient = Patient.objects.get(family_name="Kowalski")
    assert chart_url == f"{base_url}/patients/{patient.public_id}/"
    expect(page.get_by_role("alert")).to_contain_text(f"Registered Kowalski, Joan “Jo”, MRN {patient.mrn}.")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Kowalski, Joan")
    expect(page.get_by_text(f"MRN {patient.mrn}", exact=False).first).to_be_visible()
    expect(page.get_by_text("Pain in right hip")).to_be_visible()
    expect(page.get_by_text("Presence of right artificial hip joint")).to_be_visible()
    expect(page.get_by_text("Dr. Maria Lopez · NPI 1234567893")).to_be_visible()

    page.get_by_role("link", name="Buffalo Occupational Therapy").click()
    expect(page).to_have_url(f"{base_url}/")
    page.get_by_role("searchbox", name="Find a patient").fill("owal")
    page.get_by_role("button", name="Search").click()

    expect(page).to_have_url(f"{base_url}/patients/?q=owal")
    expect(page.get_by_text("1 patient matching “owal”")).to_be_visible()
    results = page.get_by_role("table")
    expect(results.get_by_role("link", name="Nowak, Adam")).to_have_count(0)
    expect(results.get_by_role("row").filter(has_text="Kowalski")).to_contain_text(patient.mrn)
    results.get_by_role("link", name="Kowalski, Joan").click()

    expect(page).to_have_url(chart_url)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Kowalski, Joan")
    expect(page.get_by_text("Pain in right hip")).to_be_visible()


@pytest.mark.browser
@pytest.mark.usefixtures("live_db")
def test_an_invalid_npi_re_renders_the_form_with_the_error_and_keeps_what_was_typed(page: Page, live_server):
    FrontDeskFactory(username="desk")
    base_url = live_server.url
    log_in(page, base_url, "desk")

    page.goto(f"{base_url}/patients/new/")
    fill_required_details(page)
    page.get_by_label("Administrative sex").select_option("female")
    page.get_by_label("State").select_option("NY")
    page.get_by_label("Referring physician NPI").fill("1234567890")
    page.get_by_label("Diagnoses (ICD-10-CM)").fill("M25.551, Z96.641")
    page.get_by_role("button", name="Save patient").click()

    expect(page).to_have_url(f"{base_url}/patients/new/")
    expect(page.get_by_text(re.compile("check digit"))).to_be_visible()
    expect(page.get_by_label("Given name")).to_have_value("Joan")
    expect(page.get_by_label("Family name")).to_have_value("Kowalski")
    expect(page.get_by_label("Date of birth")).to_have_value("1951-04-12")
    expect(page.get_by_label("Administrative sex")).to_have_value("female")
    expect(page.get_by_label("State")).to_have_value("NY")
    expect(page.get_by_label("Diagnoses (ICD-10-CM)")).to_have_value(re.compile(r"M25\.551.*Z96\.641"))
    assert not Patient.objects.exists()

    page.get_by_label("Referring physician NPI").fill("1234567893")
    page.get_by_role("button", name="Save patient").click()

    expect(page).to_have_url(CHART_URL)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Kowalski, Joan")
    assert Patient.objects.get().referring_physician_npi == "1234567893"
