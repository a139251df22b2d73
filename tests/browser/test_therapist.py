"""A therapist's whole evaluation in a real browser: start a draft, fill all nine sections, sign, read only."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Locator, Page, expect

from evaluations.models import Evaluation
from evaluations.sections import SECTIONS
from tests.evaluations.records import content_of, record_of
from tests.factories import PatientFactory, TherapistFactory

PASSWORD = "correct horse battery"
UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"


def log_in(page: Page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(f"{base_url}/")


def named(page: Page, name: str) -> Locator:
    """A formset input by its name (each also carries an aria-label equal to its column's label)."""
    return page.locator(f'[name="{name}"]')


def save(page: Page, index: int) -> None:
    """Save section `index` and check the confirmation and where the page lands."""
    section = SECTIONS[index]
    is_last = index == len(SECTIONS) - 1
    button = "Save" if is_last else "Save and go to the next section"
    page.get_by_role("button", name=button, exact=True).click()
    expect(page.get_by_role("alert")).to_have_text(f"{section.title} saved.")
    shown = section if is_last else SECTIONS[index + 1]
    expect(page.get_by_role("heading", level=2)).to_have_text(f"{shown.number}. {shown.title}")


def fill_profile(page: Page) -> None:
    page.get_by_label("Why the person is seeking therapy").fill("Right hip pain since a fall; cannot dress.")
    page.get_by_label("Who the person is").fill("Retired teacher, lives with her husband.")
    named(page, "copm-0-area").select_option("self_care")
    named(page, "copm-0-problem").fill("Putting on socks")
    for name, value in (("importance", "9"), ("performance", "3"), ("satisfaction", "2")):
        named(page, f"copm-0-{name}").fill(value)
    page.get_by_label("Hand dominance").select_option(label="Right-handed")
    save(page, 0)


def fill_physical_function(page: Page) -> None:
    named(page, "pinch-0-pinch").select_option("tip")
    named(page, "pinch-0-right_trial_1_kg").fill("4.5")
    named(page, "strength-0-muscle_group").select_option(label="Hip abductors")
    named(page, "strength-0-right_grade").select_option("3+")
    named(page, "range_of_motion-0-joint_motion").select_option(label="Shoulder flexion")
    named(page, "range_of_motion-0-left_degrees").fill("400")
    named(page, "flexibility-0-test").select_option(label="Hip flexors (Thomas test)")
    named(page, "flexibility-0-right_finding").select_option("moderately_limited")
    named(page, "grip-0-right_trial_1_kg").fill("18.5")
    page.get_by_role("button", name="Save and go to the next section").click()

    # An impossible angle: the page comes back with the error and everything typed still there.
    expect(page.get_by_text("Nothing was saved: correct the entries marked below.")).to_be_visible()
    expect(page.get_by_text(re.compile("outside what shoulder flexion can measure")).first).to_be_visible()
    expect(named(page, "range_of_motion-0-left_degrees")).to_have_value("400")
    expect(named(page, "strength-0-right_grade")).to_have_value("3+")
    expect(named(page, "strength-0-muscle_group").locator("option:checked")).to_have_text("Hip abductors")
    expect(named(page, "flexibility-0-right_finding")).to_have_value("moderately_limited")
    expect(named(page, "grip-0-right_trial_1_kg")).to_have_value("18.5")

    named(page, "range_of_motion-0-left_degrees").fill("150")
    save(page, 1)


def fill_neuromuscular(page: Page) -> None:
    named(page, "tests-0-test").select_option(label="Nine-Hole Peg Test")
    named(page, "tests-0-left_value").fill("24.6")
    save(page, 2)


def fill_cognition(page: Page) -> None:
    named(page, "findings-0-domain").select_option("short_term_memory")
    named(page, "findings-0-rating").select_option("mildly_impaired")
    # The MoCA item by item (its domain subscores): the total follows as they are answered.
    page.locator('[data-instrument="moca"] summary').click()
    for domain, points in MOCA_DOMAINS.items():
        page.locator(f'input[name="screens-0-item_{domain}"][value="{points}"]').check()
    named(page, "screens-0-education_years").fill("16")
    expect(page.locator('[data-instrument="moca"] [data-live-total]')).to_have_text("From the items: 24/30")
    expect(named(page, "screens-0-total_score")).to_have_value("24")
    save(page, 3)


MOCA_DOMAINS = {  # 4 + 3 + 5 + 2 + 1 + 3 + 6 = 24
    "visuospatial_executive": 4,
    "naming": 3,
    "attention": 5,
    "language": 2,
    "abstraction": 1,
    "delayed_recall": 3,
    "orientation": 6,
}


def fill_occupational_inventory(page: Page) -> None:
    named(page, "roles-0-role").select_option(label="Grandparent")
    named(page, "roles-0-status").select_option("current")
    named(page, "roles-0-importance").select_option("very")
    named(page, "mobility-0-destination").select_option(label="Grocery store")
    named(page, "mobility-0-frequency").select_option("weekly")
    named(page, "mobility-0-transport_mode").select_option(label="Drives self")
    named(page, "mobility-0-ability").select_option("with_difficulty")
    named(page, "iadl_inventory-0-activity").select_option(label="Shopping")
    named(page, "iadl_inventory-0-done_by").select_option("shared")
    named(page, "other_activities-0-name").fill("Gardening")
    named(page, "psfs-0-activity").fill("Kneeling in the garden")
    named(page, "psfs-0-rating").fill("3")
    save(page, 4)


def rate_by_keyboard(page: Page, activity: str) -> Locator:
    """Rate an activity with the arrow keys from "Independent"; return its checklist row."""
    page.get_by_label(f"{activity}: Independent", exact=True).focus()
    page.keyboard.press("ArrowRight")
    expect(page.get_by_label(f"{activity}: Modified independent")).to_be_checked()
    expect(page.get_by_label(f"{activity}: Modified independent")).to_be_focused()
    return page.get_by_role("row").filter(has=page.get_by_label(f"{activity}: Modified independent"))


def fill_checklist(page: Page, index: int, clicked: str, keyed: str) -> None:
    page.get_by_label(f"{clicked}: Minimal assist").check()
    expect(page.get_by_label(f"{clicked}: Minimal assist")).to_be_checked()
    row = page.get_by_role("row").filter(has=page.get_by_label(f"{clicked}: Minimal assist"))
    row.locator('[name$="-limited_by_pain"]').check()
    row.locator('[name$="-priority"]').select_option("high")
    keyed_row = rate_by_keyboard(page, keyed)
    keyed_row.locator('[name$="-limited_by_imbalance"]').check()
    keyed_row.locator('[name$="-notes"]').fill("Holds the rail")
    if page.locator('[data-instrument="lawton_iadl"]').count():  # the IADL page also takes scales
        page.locator('[data-instrument="lawton_iadl"] summary').click()
        named(page, "scales-0-total_score").fill("6")  # the total alone, as known from paper
    save(page, index)
    # The saved ratings come back checked.
    sections = page.get_by_role("navigation", name="Sections")
    # The menu tells each section's state: this one now has what signing needs from it.
    sections.get_by_role("link", name=re.compile(rf"^{re.escape(SECTIONS[index].title)}\W+complete$")).click()
    expect(page.get_by_label(f"{clicked}: Minimal assist")).to_be_checked()
    expect(page.get_by_label(f"{keyed}: Modified independent")).to_be_checked()
    sections.get_by_role(
        "link", name=re.compile(rf"^{re.escape(SECTIONS[index + 1].title)}\W+(not started|in progress)$")
    ).click()


def fill_muscle_imbalance(page: Page) -> None:
    page.get_by_label("Sitting for too long").check()
    named(page, "pain_points-0-region").select_option(label="Hip")
    named(page, "pain_points-0-side").select_option("right")
    named(page, "pain_points-0-intensity").fill("6")
    named(page, "pain_points-0-aggravating_factors").fill("Stairs and long car rides")
    page.get_by_label("Sleepless at night because of pain").check()
    page.get_by_label("Driving", exact=True).check()
    save(page, 7)


def fill_assessment_and_plan(page: Page) -> None:
    target = timezone.localdate() + timedelta(weeks=6)
    page.get_by_label("Assessment summary").fill("Hip abductor weakness limits lower-body dressing.")
    page.get_by_label("Sessions per week").fill("2")
    page.get_by_label("Duration (weeks)").fill("8")
    page.get_by_label("Home program").fill("Side-lying hip abduction, 2 x 10 daily.")
    named(page, "goals-0-term").select_option("long_term")
    named(page, "goals-0-description").fill("Dresses her lower body independently with a reacher.")
    named(page, "goals-0-target_on").fill(target.isoformat())
    named(page, "goals-0-activity").select_option(label="Getting dressed")
    page.get_by_label("Neuromuscular massage").check()
    page.get_by_label("Occupation-based functional activities").check()
    save(page, 8)


def fill_cpt_complexity(page: Page) -> None:
    # Brief history, no comorbidities, no assistance: the lowest component is low, so 97165.
    page.get_by_label("Profile and history").select_option("brief")
    page.get_by_label("Comorbidities").select_option("none")
    page.get_by_label("Assistance needed to complete the evaluation").select_option("none")
    page.get_by_label("CPT code", exact=True).select_option("97165")
    save(page, 9)
    expect(page.locator("#cpt-suggestion")).to_contain_text("suggested 97165")
    expect(page.locator("#cpt-suggestion")).to_contain_text("confirmed 97165")


@pytest.mark.browser
@pytest.mark.usefixtures("live_db")
def test_therapist_completes_every_section_signs_and_then_sees_the_evaluation_read_only(
    page: Page, live_server
):
    therapist = TherapistFactory(username="ot", first_name="Michelle")
    patient = PatientFactory(given_name="Joan", family_name="Kowalski", date_of_birth="1951-04-12")
    base_url = live_server.url

    log_in(page, base_url, "ot")
    page.goto(f"{base_url}/patients/{patient.public_id}/")
    page.get_by_role("link", name="New evaluation").click()
    expect(page.get_by_label("Kind").locator("option:checked")).to_have_text("Initial evaluation")
    expect(page.get_by_label("Date of service")).to_have_value(timezone.localdate().isoformat())
    page.get_by_role("button", name="Start draft").click()

    expect(page).to_have_url(re.compile(rf"/evaluations/{UUID}/profile/$"))
    public_id = re.search(UUID, page.url).group(0)
    evaluation_url = f"{base_url}/evaluations/{public_id}/"
    expect(page.get_by_role("heading", level=2)).to_have_text(f"1. {SECTIONS[0].title}")

    fill_profile(page)
    fill_physical_function(page)
    fill_neuromuscular(page)
    fill_cognition(page)
    fill_occupational_inventory(page)
    fill_checklist(page, 5, clicked="Getting dressed", keyed="Bathing and showering")
    fill_checklist(page, 6, clicked="Cooking", keyed="Driving")
    fill_muscle_imbalance(page)
    fill_assessment_and_plan(page)
    fill_cpt_complexity(page)

    # The owner's draft offers an "Edit" link per section...
    page.get_by_role("link", name="View whole evaluation").click()
    expect(page).to_have_url(evaluation_url)
    expect(page.get_by_role("link", name="Edit", exact=True)).to_have_count(len(SECTIONS))
    expect(page.get_by_text("Not assessed.")).to_have_count(0)

    page.get_by_role("link", name="Sign…").click()
    expect(page).to_have_url(f"{evaluation_url}sign/")
    requirements = record_of(Evaluation.objects.get()).checklist
    expect(page.get_by_text("✓", exact=True)).to_have_count(len(requirements))
    expect(page.get_by_text("✗", exact=True)).to_have_count(0)
    page.get_by_label("Your password").fill(PASSWORD)
    page.get_by_role("button", name="Sign evaluation").click()

    # ...and the signed one offers none.
    expect(page).to_have_url(evaluation_url)
    expect(page.get_by_role("alert")).to_contain_text(
        "Signed. The evaluation is now part of the permanent record."
    )
    expect(page.get_by_role("heading", level=1).get_by_text("Signed", exact=True)).to_be_visible()
    expect(page.get_by_text("Electronically signed by")).to_contain_text("Michelle")
    expect(page.get_by_role("link", name="Edit", exact=True)).to_have_count(0)
    expect(page.get_by_role("link", name="Edit sections")).to_have_count(0)
    expect(page.get_by_role("link", name="Sign…")).to_have_count(0)

    page.goto(f"{evaluation_url}physical-function/")
    expect(page).to_have_url(evaluation_url)
    expect(page.get_by_role("alert")).to_contain_text("This evaluation is signed and cannot change")

    page.get_by_label("Addendum").fill("Husband reports she now dresses with the reacher.")
    page.get_by_role("button", name="Add addendum").click()
    expect(page).to_have_url(evaluation_url)
    expect(page.get_by_role("alert")).to_have_text("Addendum added.")
    addenda = page.get_by_role("region", name="Addenda")
    expect(addenda).to_contain_text("Husband reports she now dresses with the reacher.")
    expect(addenda).to_contain_text("Michelle")

    evaluation = Evaluation.objects.get()
    assert evaluation.status == "signed"
    assert evaluation.signed_by == therapist
    content = content_of(record_of(evaluation, therapist))
    for section in SECTIONS:
        for rows in section.rows:
            assert content[section.api_key][rows.key], f"{section.title}: {rows.title} is empty"
    assert content["profile"]["reason_for_therapy"].startswith("Right hip pain")
    assert content["profile"]["hand_dominance"] == "right"
    assert [row.degrees for row in content["physical_function"]["range_of_motion"]] == [150]
    assert {r.activity.label: r.assist_level for r in content["adl_checklist"]["ratings"]} == {
        "Getting dressed": "minimal_assist",
        "Bathing and showering": "modified_independent",
    }
    assert {r.activity.label: r.assist_level for r in content["iadl_checklist"]["ratings"]} == {
        "Cooking": "minimal_assist",
        "Driving": "modified_independent",
    }
    assert (evaluation.sessions_per_week, evaluation.duration_weeks) == (2, 8)
    assert [addendum.text for addendum in evaluation.addenda.all()] == [
        "Husband reports she now dresses with the reacher."
    ]
