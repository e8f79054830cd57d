"""Browser tests: Playwright drives Debian's Chromium against Django's live server."""

import os
import shutil

import pytest
from axe_scan import axe_give, axe_violations

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# Playwright's sync API runs an event loop in this thread; the ORM calls in these
# tests are ordinary synchronous calls made between browser steps.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM):
        pytest.fail("Debian's chromium is missing: run `make browser-deps` (make test does).")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser, live_server):
    """Open a fresh browser context (its own cookies) at the live server."""
    contexts = []

    def open_page(viewport=None):
        context = browser.new_context(
            base_url=live_server.url, viewport=viewport or {"width": 1200, "height": 900}
        )
        context.set_default_timeout(10_000)
        axe_give(context)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def axe_check():
    """Run axe on the page; fail on any serious or critical violation."""

    def check(page):
        from playwright.sync_api import Error as PlaywrightError

        page.wait_for_load_state("load")
        try:
            bad = axe_violations(page)
        except PlaywrightError as error:
            # A click may start a navigation just after the scan began; scan the new page.
            if "Execution context was destroyed" not in str(error):
                raise
            page.wait_for_load_state("load")
            bad = axe_violations(page)
        assert not bad, f"accessibility violations on {page.url}:\n" + "\n".join(bad)

    return check


@pytest.fixture
def verified_person(make_person):
    """A person who can sign in with email and password."""
    from allauth.account.models import EmailAddress

    def make(display_name: str, email: str, password: str = "a-long-test-password"):
        person = make_person(display_name, email=email, password=password)
        EmailAddress.objects.create(user=person, email=email, verified=True, primary=True)
        return person

    return make
