"""A discharge judges the goals set at the initial evaluation, in a real browser."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from evaluations.models import Evaluation
from tests.browser.test_therapist import PASSWORD, log_in, named
from tests.evaluations.records import record_of
from tests.evaluations.test_report import signed
from tests.factories import PatientFactory, TherapistFactory


@pytest.mark.browser
@pytest.mark.usefixtures("live_db")
def test_a_discharge_sets_each_goals_status_and_signs(page: Page, live_server):
    therapist = TherapistFactory(username="ot")
    baseline = signed(therapist, PatientFactory(), when=timezone.localdate() - timezone.timedelta(weeks=6))
    log_in(page, live_server.url, "ot")
    page.goto(f"{live_server.url}/patients/{baseline.patient.public_id}/")
    page.get_by_role("link", name="New evaluation").click()
    page.get_by_label("Kind").select_option("discharge")
    page.get_by_label("Compared with").select_option(str(baseline.public_id))
    page.get_by_role("button", name="Start draft").click()

    sections = page.get_by_role("navigation", name="Sections")
    sections.get_by_role("link", name=re.compile("^Physical function")).click()
    named(page, "grip-0-right_trial_1_kg").fill("26")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_role("alert").first).to_have_text("Physical function, upper and lower body saved.")
    sections.get_by_role("link", name=re.compile("^ADL checklist")).click()
    page.get_by_label("Getting dressed: Modified independent").check()  # better than at baseline
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_role("alert").first).to_have_text("ADL checklist saved.")

    sections.get_by_role("link", name=re.compile("^Assessment, goals")).click()
    goals = page.get_by_role("group", name="Goals")
    expect(goals).to_contain_text("Suggested: met — activity now modified independent")
    named(page, "section-assessment_summary").fill("Goals reached for dressing; discharged to home program.")
    named(page, "goals-0-status").select_option("met")
    named(page, "goals-1-status").select_option("discontinued")
    named(page, "goals-1-status_note").fill("Moved in with her daughter; no longer drives.")
    page.get_by_label("Occupation-based functional activities").check()
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_role("alert").first).to_have_text("Assessment, goals and plan of care saved.")

    page.get_by_role("link", name="Sign…").first.click()
    page.get_by_label("Your password").fill(PASSWORD)
    page.get_by_role("button", name="Sign").click()
    expect(page.get_by_role("alert").first).to_have_text(
        "Signed. The evaluation is now part of the permanent record."
    )
    progress = page.get_by_role("region", name=re.compile("^Progress since"))
    expect(progress).to_contain_text("Met")
    expect(progress).to_contain_text("Discontinued: Moved in with her daughter; no longer drives.")
    discharge = Evaluation.objects.get(previous_evaluation=baseline)
    assert [(goal.baseline_goal, goal.status) for goal in record_of(discharge, therapist).goals] == [
        (1, "met"),
        (2, "discontinued"),
    ]
