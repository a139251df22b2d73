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
def test_rows_are_added_and_removed_in_place_and_one_save_keeps_them_all(page: Page, live_server, draft):
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
    expect(strength).to_have_count(3)  # the blank rows a page has without any script
    expect(page.locator("[data-no-script-hint=strength]")).to_be_hidden()  # says "save for more rows"

    add = page.get_by_role("button", name="Add a row to strength (manual muscle test)")
    for _ in range(3):
        add.click()
    expect(strength).to_have_count(6)
    expect(named(page, "strength-TOTAL_FORMS")).to_have_value("6")
    expect(named(page, "strength-5-muscle_group")).to_be_focused()  # the new row is ready to type in

    rows = [
        ("hip_flexors", "left", "3-"),
        ("hip_abductors", "left", "3"),  # removed below
        ("hip_extensors", "left", "3+"),
        ("hip_abductors", "right", "4-"),
        ("hip_flexors", "right", "4"),
        ("hip_extensors", "right", "4+"),
    ]
    for index, (group, side, grade) in enumerate(rows):
        named(page, f"strength-{index}-muscle_group").select_option(group)
        named(page, f"strength-{index}-side").select_option(side)
        named(page, f"strength-{index}-grade").select_option(grade)
    # Enter in the last row's grade adds a row below and moves into it, instead of submitting.
    named(page, "strength-5-grade").press("Enter")
    expect(strength).to_have_count(7)
    expect(named(page, "strength-6-grade")).to_be_focused()
    named(page, "strength-6-muscle_group").select_option("knee_extensors")
    named(page, "strength-6-side").select_option("right")
    named(page, "strength-6-grade").select_option("5")
    # Enter higher up moves down the same column.
    named(page, "strength-1-notes").press("Enter")  # a notes box takes a new line...
    named(page, "strength-2-side").press("Enter")  # ...a select moves down
    expect(named(page, "strength-3-side")).to_be_focused()

    group = page.get_by_role("group", name="Strength (manual muscle test)")
    expect(group.get_by_role("checkbox", name="Remove row 7")).to_have_count(1)  # added rows are numbered too
    group.get_by_role("checkbox", name="Remove row 2").check()
    expect(strength.nth(1)).to_have_class(re.compile(r"\brow-removed\b"))
    assert posts == []  # no page was posted for rows (autosave aside, which never reloads the page)

    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_role("alert")).to_have_text("Physical function, upper and lower body saved.")
    assert len(posts) == 1
    saved = content_of(record_of(Evaluation.objects.get(), draft.therapist))["physical_function"]["strength"]
    assert [(row.muscle_group.code, row.side, row.grade) for row in saved] == [
        *(row for index, row in enumerate(rows) if index != 1),
        ("knee_extensors", "right", "5"),
    ]


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
    expect(named(page, "strength-0-side")).to_have_value("right")
    expect(named(page, "strength-0-grade")).to_have_value("")
    expect(page.locator('table[data-row-list="strength"] tbody tr').first).to_contain_text("3+")
    named(page, "strength-0-grade").select_option("4")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_role("alert")).to_have_text("Physical function, upper and lower body saved.")

    follow_up = Evaluation.objects.get(previous_evaluation=baseline)
    strength = content_of(record_of(follow_up, therapist))["physical_function"]["strength"]
    assert [(row.muscle_group.code, row.side, row.grade) for row in strength] == [
        ("hip_abductors", "right", "4")
    ]
