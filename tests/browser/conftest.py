"""Real-browser tests: Playwright (sync API) driving Debian's Chromium against pytest-django's live_server.

Playwright's own browser download is not used: Chromium comes from the system package
(`apt-get install chromium`) at CHROMIUM below. If it is missing the tests fail; they never skip.
"""

import os
import re
import threading
from pathlib import Path

import pytest
from django.core.signals import request_finished, request_started
from playwright.sync_api import Browser, Page, expect, sync_playwright

# Playwright's sync API runs an event loop in the test thread; Django's async-safety check
# would then refuse the ORM calls the tests make (factories, assertions on saved rows).
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
TIMEOUT_MS = 10_000
# Assertions wait as long as actions and navigations do (Playwright's own default is 5 s): a save that
# reloads the page on a loaded machine may take longer than 5 s without anything being wrong.
expect.set_options(timeout=TIMEOUT_MS)


class InFlight:
    """Requests the live server is still answering (begun, response not yet closed).

    Closing a browser context stops new requests but not the ones the server is already
    handling: an autosave sent just before a test ends can still be writing when the test's
    database is emptied, and land in the next test's. The page fixture waits for none."""

    def __init__(self) -> None:
        self.count = 0
        self.changed = threading.Condition()

    # The test client answers in the test's own thread, and before it returns: not counted.
    def started(self, **kwargs) -> None:
        if threading.current_thread() is threading.main_thread():
            return
        with self.changed:
            self.count += 1

    def finished(self, **kwargs) -> None:
        if threading.current_thread() is threading.main_thread():
            return
        with self.changed:
            self.count = max(0, self.count - 1)
            self.changed.notify_all()

    def wait_for_none(self, timeout: float) -> bool:
        with self.changed:
            return self.changed.wait_for(lambda: self.count == 0, timeout=timeout)


IN_FLIGHT = InFlight()
request_started.connect(IN_FLIGHT.started, dispatch_uid="tests.browser.in_flight.started")
request_finished.connect(IN_FLIGHT.finished, dispatch_uid="tests.browser.in_flight.finished")


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the item, so the page fixture can tell whether the test failed."""
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def browser() -> Browser:
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} is missing: install it with `apt-get update && apt-get install -y chromium`.",
            pytrace=False,
        )
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Browser, request) -> Page:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    context.set_default_navigation_timeout(TIMEOUT_MS)
    page = context.new_page()
    # Every page these tests visit must work under the Content-Security-Policy: Chromium reports
    # each blocked script, style or image on the console, and any such report fails the test.
    violations: list[str] = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    yield page
    assert violations == [], f"Content-Security-Policy violations: {violations}"
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        name = re.sub(r"[^\w.-]+", "_", request.node.nodeid)
        try:
            page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
            (ARTIFACTS / f"{name}.html").write_text(page.content(), encoding="utf-8")
        except Exception as error:  # a screenshot must never hide the real failure
            print(f"Could not save a screenshot of the failed page: {error}")
    context.close()
    assert IN_FLIGHT.wait_for_none(timeout=TIMEOUT_MS / 1000), (
        "the live server was still answering this test's requests 10 s after its browser closed"
    )
