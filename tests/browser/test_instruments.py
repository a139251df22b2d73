"""Standardized instruments item by item in a real browser: the total follows each answer (and waits
while items are missing), a total known alone is typed instead, and the saved evaluation shows each
total with its band, its 20-point or education-adjusted form, how it was entered and its items."""

import pytest
from playwright.sync_api import Page, expect

from evaluations.models import CognitiveScreen, FunctionalScaleScore
from tests.browser.test_entry import draft  # noqa: F401  (fixture)
from tests.browser.test_therapist import log_in, named
from tests.evaluations.instrument_answers import BARTHEL

# Lawton statements as a therapist ticks them: 1 + 0 + 0 + 1 + 1 + 0 + 0 + 1 = 4
LAWTON = (
    "Dials a few well-known numbers",
    "Shops independently for small purchases only",
    "Heats and serves prepared meals, or prepares meals but does not keep an adequate diet",
    "Needs help with all home maintenance tasks",
    "Does personal laundry completely",
    "Travel limited to taxi or car with assistance of another person",
    "Takes responsibility only if medication is prepared in advance in separate doses",
    "Manages day-to-day purchases but needs help with banking, major purchases, etc.",
)


def answer(page: Page, prefix: str, key: str, value: int) -> None:
    page.locator(f'input[name="{prefix}-item_{key}"][value="{value}"]').check()


@pytest.mark.browser
@pytest.mark.usefixtures("live_db")
def test_barthel_lawton_lefs_and_mini_cog_item_by_item_with_live_totals(page: Page, live_server, draft):  # noqa: F811
    log_in(page, live_server.url, "ot")
    base = f"{live_server.url}/evaluations/{draft.public_id}"

    page.goto(f"{base}/iadl-checklist/")
    barthel = page.locator('[data-instrument="barthel_index"]')
    barthel.locator("summary").click()
    live = barthel.locator("[data-live-total]")
    total = named(page, "scales-3-total_score")
    for number, (key, points) in enumerate(BARTHEL.items(), start=1):
        answer(page, "scales-3", key, points)
        if number == 3:
            expect(live).to_have_text("3 of 10 items answered")
            expect(total).to_have_value("")
    expect(live).to_have_text("From the items: 65/100 (13/20 on the 20-point version)")
    expect(total).to_have_value("65")
    expect(total).to_have_attribute("readonly", "")

    lawton = page.locator('[data-instrument="lawton_iadl"]')
    lawton.locator("summary").click()
    for statement in LAWTON:
        lawton.get_by_label(statement).check()  # the label adds the points: "… (1)"
    expect(lawton.locator("[data-live-total]")).to_have_text("From the items: 4/8")

    lefs = page.locator('[data-instrument="lefs"]')
    lefs.locator("summary").click()
    expect(lefs).to_contain_text("Walking between rooms")  # the paraphrased activities
    for number in range(1, 21):
        answer(page, "scales-4", f"item_{number:02d}", 3 if number <= 10 else 1)
    expect(lefs.locator("[data-live-total]")).to_have_text("From the items: 40/80")  # 10 × 3 + 10 × 1

    # Katz known only as a total: typed, and recorded as a total.
    page.locator('[data-instrument="katz_adl"] summary').click()
    named(page, "scales-2-total_score").fill("5")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text("saved")
    saved = {row.instrument: (row.total_score, bool(row.items)) for row in FunctionalScaleScore.objects.all()}
    assert saved == {
        "barthel_index": (65, True),
        "lawton_iadl": (4, True),
        "lefs": (40, True),
        "katz_adl": (5, False),
    }

    page.goto(f"{base}/cognition/")
    mini_cog = page.locator('[data-instrument="mini_cog"]')
    mini_cog.locator("summary").click()
    mini_cog.get_by_label("2 of 3").check()
    mini_cog.get_by_label("Abnormal or refused (0)").check()
    expect(mini_cog.locator("[data-live-total]")).to_have_text("From the items: 2/5")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text("saved")
    assert CognitiveScreen.objects.get().items == {"word_recall": 2, "clock_draw": 0}

    page.goto(f"{base}/")
    expect(page.get_by_text("65/100; moderate dependency; 13/20 on the 20-point version")).to_be_visible()
    expect(page.get_by_text("Feeding 10/10 · Bathing 0/5 · Grooming 5/5")).to_be_visible()
    expect(page.get_by_text("2/5; positive screen: further evaluation warranted")).to_be_visible()
    expect(
        page.get_by_text("40/80; a single score is ±5.3 points (90% CI); scored from its 20 items")
    ).to_be_visible()
    expect(page.get_by_text("5/6; total entered without its items; no LOINC code")).to_be_visible()  # Katz

    # Back on the page, the saved items come back answered and the total follows them again.
    page.goto(f"{base}/iadl-checklist/")
    expect(page.locator('[data-instrument="barthel_index"]')).to_have_attribute("open", "")
    expect(page.locator('[data-instrument="barthel_index"] [data-live-total]')).to_have_text(
        "From the items: 65/100 (13/20 on the 20-point version)"
    )
    answer(page, "scales-3", "stairs", 10)
    expect(named(page, "scales-3-total_score")).to_have_value("70")
    # Clearing every item gives the total box back for a typed total.
    for key in BARTHEL:
        page.locator(f'input[name="scales-3-item_{key}"][value=""]').check()
    expect(named(page, "scales-3-total_score")).not_to_have_attribute("readonly", "")


@pytest.mark.browser
@pytest.mark.usefixtures("live_db")
def test_the_helpers_share_chooses_the_level_in_the_checklist(page: Page, live_server, draft):  # noqa: F811
    log_in(page, live_server.url, "ot")
    page.goto(f"{live_server.url}/evaluations/{draft.public_id}/adl-checklist/")
    share = page.get_by_label("Getting dressed: helper's share of the effort, %")
    share.fill("40")  # the patient does 60 %: moderate assist
    expect(page.get_by_label("Getting dressed: Moderate assist")).to_be_checked()
    share.fill("25")  # exactly 25 % by the helper: minimal assist
    expect(page.get_by_label("Getting dressed: Minimal assist")).to_be_checked()
    page.get_by_label("Bathing and showering: set-up only").check()
    expect(page.get_by_label("Bathing and showering: Supervision / standby")).to_be_checked()
    # A level chosen by hand that the share does not give clears the share.
    page.get_by_label("Getting dressed: Maximal assist").check()
    expect(share).to_have_value("")
    share.fill("60")
    expect(page.get_by_label("Getting dressed: Maximal assist")).to_be_checked()
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text("saved")
    page.goto(f"{live_server.url}/evaluations/{draft.public_id}/")
    expect(page.get_by_text("Maximal assist (FIM 2; GG 02; helper 60%)")).to_be_visible()
    expect(page.get_by_text("Supervision / standby (FIM 5; GG 05; set-up only)")).to_be_visible()
