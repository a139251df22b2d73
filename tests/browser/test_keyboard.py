"""Every section can be filled from the keyboard alone: each control of the form is reached by Tab
(a group of radio buttons is one stop, as browsers make it), in the page's order, with a visible
focus ring, and rows are added, filled and saved without a mouse."""

import pytest
from playwright.sync_api import Page, expect

from evaluations.sections import SECTIONS
from tests.browser.test_entry import draft  # noqa: F401  (fixture)
from tests.browser.test_therapist import log_in, named

MARK_CONTROLS = """() => {
  const form = document.querySelector("form[data-section-form]");
  const controls = [...form.querySelectorAll("input:not([type=hidden]), select, textarea, button, summary")]
    .filter((el) => !el.disabled && el.checkVisibility({visibilityProperty: true}));
  const stops = new Set();
  controls.forEach((el, index) => {
    el.dataset.kb = el.type === "radio" ? `radio:${el.name}` : `c${index}`;
    stops.add(el.dataset.kb);
  });
  return [...stops];
}"""

FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || !el.dataset.kb) return null;
  const style = getComputedStyle(el);
  // A date's calendar button is the browser's own part (the input no longer matches :focus there).
  const ring = !el.matches(":focus") || style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0;
  return [el.dataset.kb, ring, el.name || el.textContent.trim()];
}"""


@pytest.mark.browser
@pytest.mark.usefixtures("live_db")
def test_every_sections_controls_are_reached_by_tab_with_a_visible_focus(page: Page, live_server, draft):  # noqa: F811
    log_in(page, live_server.url, "ot")
    for section in SECTIONS:
        page.goto(f"{live_server.url}/evaluations/{draft.public_id}/{section.slug}/")
        stops = page.evaluate(MARK_CONTROLS)
        assert stops, section.slug
        page.locator("h1").first.focus()
        reached: list[str] = []
        no_ring: list[str] = []
        for _ in range(len(stops) * 3 + 60):  # the menu's links come first
            page.keyboard.press("Tab")
            focused = page.evaluate(FOCUSED)
            if focused is None:
                if reached:
                    break  # past the form
                continue
            stop, ring, name = focused
            if stop not in reached:
                reached.append(stop)
            if not ring:
                no_ring.append(name)
        assert reached == stops, (section.slug, [stop for stop in stops if stop not in reached])
        assert no_ring == [], (section.slug, no_ring)


@pytest.mark.browser
@pytest.mark.usefixtures("live_db")
def test_a_list_is_grown_filled_and_saved_from_the_keyboard(page: Page, live_server, draft):  # noqa: F811
    log_in(page, live_server.url, "ot")
    page.goto(f"{live_server.url}/evaluations/{draft.public_id}/occupational-inventory/")
    rows = page.locator('table[data-row-list="other_activities"] tbody tr')
    blank = rows.count()
    page.locator('[data-add-row="other_activities"]').focus()
    page.keyboard.press("Enter")
    expect(rows).to_have_count(blank + 1)
    expect(named(page, f"other_activities-{blank}-name")).to_be_focused()
    page.keyboard.type("Bowling")
    page.get_by_role("button", name="Save", exact=True).focus()
    page.keyboard.press("Enter")
    expect(page.locator(".alert-success")).to_be_visible()
    assert [row.name for row in draft.important_activities.all()] == ["Bowling"]
