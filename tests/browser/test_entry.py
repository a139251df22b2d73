"""Entry without round trips, in a real browser: rows added and removed in place, Enter moving down
a column, and a question before leaving a section with unsaved changes."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from evaluations.models import Evaluation
from tests.browser.test_therapist import log_in, named
from tests.evaluations.records import content_of, record_of
from tests.evaluations.test_report import signed
from tests.factories import EvaluationFactory, PatientFactory, TherapistFactory


@pytest.fixture
def draft(live_server) -> Evaluation:
    return EvaluationFactory(therapist=TherapistFactory(username="ot"))


@pytest.mark.browser
@pytest.mark.usefixtures("live_db")
def test_paired_lines_by_region_with_keyboard_grades_and_the_side_difference_in_one_save(
    page: Page, live_server, draft
):
    log_in(page, live_server.url, "ot")
    page.goto(f"{live_server.url}/evaluations/{draft.public_id}/physical-function/")
    posts: list[str] = []
    page.on(
        "request",
        lambda request: (
            posts.append(request.url)
            if request.method == "POST" and not request.url.endswith("/autosave/")
            else None
        ),
    )
    strength = page.locator('table[data-row-list="strength"] tbody tr')
    expect(strength).to_have_count(3)  # the blank lines a page has without any script
    expect(page.locator("[data-no-script-hint=strength]")).to_be_hidden()  # says "save for more lines"

    # The hip's six muscle groups, one line each with a Left and a Right grade: blank lines first.
    page.get_by_label("Add a body region's standard lines:").first.select_option("hip")
    expect(strength).to_have_count(6)
    expect(named(page, "strength-0-muscle_group")).to_have_value("hip_flexors")
    expect(named(page, "strength-5-muscle_group")).to_have_value("hip_external_rotators")
    expect(named(page, "strength-0-left_grade")).to_be_focused()

    # Grades typed from the keyboard: "4-" is 4− (Good minus), "3+" is Fair plus.
    page.keyboard.type("4-")
    expect(named(page, "strength-0-left_grade")).to_have_value("4-")
    named(page, "strength-0-right_grade").focus()
    page.keyboard.type("3+")
    expect(named(page, "strength-0-right_grade")).to_have_value("3+")
    expect(strength.nth(0).locator("[data-side-difference]")).to_have_text("1 grade step, R weaker")
    named(page, "strength-2-right_grade").focus()
    page.keyboard.type("3")
    expect(named(page, "strength-2-right_grade")).to_have_value("3")

    # Range of motion, active by default, with the difference in degrees.
    page.get_by_label("Add a body region's standard lines:").nth(1).select_option("hip")
    expect(named(page, "range_of_motion-0-joint_motion")).to_have_value("hip_flexion")
    expect(named(page, "range_of_motion-0-mode")).to_have_value("active")
    named(page, "range_of_motion-0-left_degrees").fill("110")
    named(page, "range_of_motion-0-right_degrees").fill("85")
    expect(
        page.locator('table[data-row-list="range_of_motion"] tbody tr').first.locator(
            "[data-side-difference]"
        )
    ).to_have_text("25°, R less")

    # Grip: both hands on one line, the weaker as a share of the stronger.
    named(page, "grip-0-left_trial_1_kg").fill("20")
    named(page, "grip-0-right_trial_1_kg").fill("16")
    expect(
        page.locator('table[data-row-list="grip"] tbody tr').first.locator("[data-side-difference]")
    ).to_have_text("4.0 kg, R 80% of the other")

    # A line added by hand, then removed before saving.
    page.get_by_role("button", name="Add a line to strength (manual muscle test)").click()
    expect(strength).to_have_count(7)
    named(page, "strength-6-muscle_group").select_option("knee_extensors")
    named(page, "strength-6-left_grade").select_option("5")
    page.get_by_role("group", name="Strength (manual muscle test)").get_by_role(
        "checkbox", name="Remove row 7"
    ).check()
    expect(strength.nth(6)).to_have_class(re.compile(r"\brow-removed\b"))
    assert posts == []  # no page was posted for lines (autosave aside, which never reloads the page)

    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_role("alert")).to_have_text("Physical function, upper and lower body saved.")
    assert len(posts) == 1
    saved = content_of(record_of(Evaluation.objects.get(), draft.therapist))["physical_function"]
    assert [(row.muscle_group.code, row.side, row.grade) for row in saved["strength"]] == [
        ("hip_flexors", "left", "4-"),
        ("hip_flexors", "right", "3+"),
        ("hip_abductors", "right", "3"),
    ]  # the region's lines left without grades are not saved
    assert [(row.joint_motion.code, row.side, row.mode, row.degrees) for row in saved["range_of_motion"]] == [
        ("hip_flexion", "left", "active", 110),
        ("hip_flexion", "right", "active", 85),
    ]
    assert [(row.hand, float(row.trial_1_kg)) for row in saved["grip"]] == [("left", 20.0), ("right", 16.0)]


@pytest.mark.browser
@pytest.mark.usefixtures("live_db")
def test_the_add_button_stops_at_the_lists_limit(page: Page, live_server, draft):
    log_in(page, live_server.url, "ot")
    page.goto(f"{live_server.url}/evaluations/{draft.public_id}/profile/")
    add = page.get_by_role("button", name=re.compile("^Add a row to copm"))
    expect(named(page, "copm-MAX_NUM_FORMS")).to_have_value("5")
    while add.is_enabled():
        add.click()
    expect(named(page, "copm-TOTAL_FORMS")).to_have_value("5")
    expect(page.locator('table[data-row-list="copm"] tbody tr')).to_have_count(5)


@pytest.mark.browser
@pytest.mark.usefixtures("live_db")
def test_leaving_a_section_with_unsaved_changes_asks_first(page: Page, live_server, draft):
    log_in(page, live_server.url, "ot")
    section = f"{live_server.url}/evaluations/{draft.public_id}/profile/"
    page.goto(section)
    asked: list[str] = []

    def answer(dialog):
        asked.append(dialog.type)
        dialog.dismiss()  # "stay on this page"

    page.on("dialog", answer)
    page.get_by_label("Why the person is seeking therapy").fill("Cannot reach the top shelf.")
    page.get_by_role("link", name="Physical function, upper and lower body").click()
    expect(page).to_have_url(section)
    assert asked == ["beforeunload"]
    expect(page.get_by_label("Why the person is seeking therapy")).to_have_value(
        "Cannot reach the top shelf."
    )

    page.remove_listener("dialog", answer)
    page.get_by_role("button", name="Save", exact=True).click()  # saving is not leaving with changes
    expect(page.get_by_role("alert")).to_have_text("Personal history and occupational profile saved.")
    page.get_by_role("link", name="Physical function, upper and lower body").click()
    expect(page).to_have_url(re.compile(r"/physical-function/$"))


@pytest.mark.browser
@pytest.mark.usefixtures("live_db")
def test_a_re_evaluation_started_on_the_page_offers_the_baselines_rows_to_measure_again(
    page: Page, live_server
):
    therapist = TherapistFactory(username="ot")
    baseline = signed(therapist, PatientFactory(), when=timezone.localdate() - timezone.timedelta(weeks=6))
    log_in(page, live_server.url, "ot")
    page.goto(f"{live_server.url}/patients/{baseline.patient.public_id}/")
    page.get_by_role("link", name="New evaluation").click()
    page.get_by_label("Kind").select_option("re_evaluation")
    page.get_by_label("Compared with").select_option(str(baseline.public_id))
    page.get_by_role("button", name="Start draft").click()
    page.get_by_role("link", name="Physical function, upper and lower body").click()

    expect(page.get_by_text(f"From the {baseline.date_of_service:%m/%d/%Y} evaluation").first).to_be_visible()
    expect(named(page, "section-mmt_scale")).to_have_value("kendall")
    expect(named(page, "strength-0-muscle_group")).to_have_value("hip_abductors")
    expect(named(page, "strength-0-right_grade")).to_have_value("")
    expect(page.locator('table[data-row-list="strength"] tbody tr').first).to_contain_text("3+")
    named(page, "strength-0-right_grade").select_option("4")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_role("alert")).to_have_text("Physical function, upper and lower body saved.")

    follow_up = Evaluation.objects.get(previous_evaluation=baseline)
    strength = content_of(record_of(follow_up, therapist))["physical_function"]["strength"]
    assert [(row.muscle_group.code, row.side, row.grade) for row in strength] == [
        ("hip_abductors", "right", "4")
    ]


@pytest.mark.browser
@pytest.mark.usefixtures("live_db")
def test_a_new_row_starts_on_the_side_last_chosen(page: Page, live_server, draft):
    log_in(page, live_server.url, "ot")
    page.goto(f"{live_server.url}/evaluations/{draft.public_id}/muscle-imbalance/")
    rows = page.locator('table[data-row-list="pain_points"] tbody tr')
    count = rows.count()
    named(page, "pain_points-0-side").select_option("right")
    page.get_by_role("button", name=re.compile("^Add a row to pain points")).click()
    expect(rows).to_have_count(count + 1)
    expect(named(page, f"pain_points-{count}-side")).to_have_value("right")
