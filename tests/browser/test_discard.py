"""A therapist discards a mistaken draft on the pages: asked first, gone from the chart, kept in history."""

import pytest
from playwright.sync_api import Page, expect

from evaluations.models import Evaluation
from tests.browser.test_therapist import log_in
from tests.factories import EvaluationFactory, TherapistFactory


@pytest.mark.browser
@pytest.mark.usefixtures("live_db")
def test_a_therapist_discards_a_draft_and_it_leaves_the_chart(page: Page, live_server):
    draft = EvaluationFactory(therapist=TherapistFactory(username="ot"))
    log_in(page, live_server.url, "ot")
    page.goto(f"{live_server.url}/patients/{draft.patient.public_id}/")
    chart = page.get_by_role("main")
    expect(chart).to_contain_text("Draft")
    page.goto(f"{live_server.url}/evaluations/{draft.public_id}/")
    page.get_by_role("link", name="Discard draft…").click()
    expect(page.get_by_role("heading", name="Discard this draft?")).to_be_visible()
    page.get_by_label("Why (optional)").fill("Duplicate of this morning's draft")
    page.get_by_role("button", name="Discard draft").click()

    expect(page).to_have_url(f"{live_server.url}/patients/{draft.patient.public_id}/")
    expect(page.get_by_role("alert").first).to_contain_text("was discarded")
    expect(page.locator("main")).not_to_contain_text("Draft ")
    assert not Evaluation.objects.filter(pk=draft.pk).exists()
    kept = Evaluation.all_objects.get(pk=draft.pk)
    assert (kept.status, kept.discard_reason) == ("discarded", "Duplicate of this morning's draft")
    page.goto(f"{live_server.url}/evaluations/{draft.public_id}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Not found")
