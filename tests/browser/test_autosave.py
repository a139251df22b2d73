"""Nothing typed is lost, in a real browser: autosave that survives a reload, entries with errors kept
with their messages, a Save after the session ended, and newer work in another tab."""

import re

import pytest
from django.contrib.sessions.models import Session
from playwright.sync_api import Page, expect

from evaluations.models import Evaluation, SectionDraft
from tests.browser.test_therapist import PASSWORD, log_in, named
from tests.factories import EvaluationFactory, TherapistFactory

PLAN = "assessment-and-plan"


@pytest.fixture
def draft(live_server) -> Evaluation:
    return EvaluationFactory(therapist=TherapistFactory(username="ot"))


def open_plan(page: Page, base: str, draft: Evaluation) -> None:
    page.goto(f"{base}/evaluations/{draft.public_id}/{PLAN}/")


@pytest.mark.browser
@pytest.mark.usefixtures("live_db")
def test_typing_is_saved_as_one_goes_and_survives_a_reload(page: Page, live_server, draft):
    log_in(page, live_server.url, "ot")
    open_plan(page, live_server.url, draft)
    status = page.locator("[data-autosave-status]")
    summary = named(page, "section-assessment_summary")
    summary.fill("Hip pain limits car transfers and lower-body dressing.")
    expect(status).to_have_text(re.compile(r"^Saved \d\d:\d\d$"))  # a few seconds after typing stops
    page.reload()  # no question asked: nothing is unsaved
    expect(named(page, "section-assessment_summary")).to_have_value(
        "Hip pain limits car transfers and lower-body dressing."
    )

    # Leaving a field saves at once; an invalid value is kept, shown with its message, not saved.
    named(page, "section-sessions_per_week").fill("9")
    named(page, "section-duration_weeks").focus()
    expect(status).to_have_text(re.compile(r"Not saved yet \(kept \d\d:\d\d\): 1 entry needs correcting"))
    expect(page.locator("[data-autosave-error]")).to_contain_text("less than or equal to 7")
    draft.refresh_from_db()
    assert draft.sessions_per_week is None
    page.reload()
    expect(named(page, "section-sessions_per_week")).to_have_value("9")
    expect(page.get_by_role("alert").first).to_contain_text("is restored below. It is not saved yet")
    expect(page.get_by_role("link", name=re.compile("Assessment"))).to_contain_text("!")  # has errors
    named(page, "section-sessions_per_week").fill("2")
    named(page, "section-duration_weeks").fill("6")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_role("alert").first).to_have_text("Assessment, goals and plan of care saved.")
    draft.refresh_from_db()
    assert (draft.sessions_per_week, draft.duration_weeks) == (2, 6)
    assert not SectionDraft.objects.exists()


@pytest.mark.browser
@pytest.mark.usefixtures("live_db")
def test_a_save_after_the_session_ended_keeps_the_typed_text(page: Page, live_server, draft):
    log_in(page, live_server.url, "ot")
    open_plan(page, live_server.url, draft)
    Session.objects.all().delete()  # the session ends while the therapist types (idle limit)
    named(page, "section-assessment_summary").fill("Typed while the session had ended.")
    page.get_by_role("button", name="Save", exact=True).click()

    expect(page).to_have_url(re.compile(r"/accounts/login/\?next="))
    expect(page.get_by_role("alert").first).to_contain_text("what you typed is kept")
    page.get_by_label("Username").fill("ot")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()

    expect(page).to_have_url(f"{live_server.url}/evaluations/{draft.public_id}/{PLAN}/")
    expect(named(page, "section-assessment_summary")).to_have_value("Typed while the session had ended.")
    expect(page.get_by_role("alert").first).to_contain_text("Your session ended before this was saved")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_role("alert").first).to_have_text("Assessment, goals and plan of care saved.")
    draft.refresh_from_db()
    assert draft.assessment_summary == "Typed while the session had ended."


@pytest.mark.browser
@pytest.mark.usefixtures("live_db")
def test_newer_work_in_another_tab_is_shown_side_by_side_and_either_kept(page: Page, live_server, draft):
    log_in(page, live_server.url, "ot")
    open_plan(page, live_server.url, draft)
    other = page.context.new_page()
    open_plan(other, live_server.url, draft)
    named(other, "section-home_program").fill("Home program from the other tab.")
    other.get_by_role("button", name="Save", exact=True).click()
    expect(other.get_by_role("alert").first).to_have_text("Assessment, goals and plan of care saved.")
    other.close()

    named(page, "section-home_program").fill("Home program typed here.")
    named(page, "section-assessment_summary").fill("Summary typed here.")
    status = page.locator("[data-autosave-status]")
    expect(status).to_contain_text("Saved elsewhere meanwhile")  # autosave stops, keeps the text
    page.get_by_role("button", name="Save", exact=True).click()

    conflict = page.get_by_role("region", name="Saved elsewhere meanwhile: choose what to keep")
    expect(conflict).to_contain_text("Home program from the other tab.")
    expect(conflict).to_contain_text("Home program typed here.")
    conflict.get_by_role("radio", name="Home program from the other tab.").check()
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_role("alert").first).to_have_text("Assessment, goals and plan of care saved.")
    draft.refresh_from_db()
    assert (draft.home_program, draft.assessment_summary) == (
        "Home program from the other tab.",
        "Summary typed here.",
    )
