"""Browser tests drive Debian's Chromium (never a downloaded browser) with Playwright: one browser
per test, and a page sized as a trainer's phone or a coordinator's laptop, in Indonesian."""

from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
TIMEOUT_MS = 15_000


@pytest.fixture
def browser(monkeypatch):
    if not CHROMIUM.exists():
        pytest.skip("Debian's Chromium (/usr/bin/chromium) is not installed")
    sync_api = pytest.importorskip("playwright.sync_api")
    # Playwright's sync API runs an event loop in this thread; the ORM calls of the test are still
    # plain synchronous calls.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _page(browser, **context_options):
    context = browser.new_context(locale="id-ID", **context_options)  # Accept-Language: id
    context.set_default_timeout(TIMEOUT_MS)
    return context, context.new_page()


@pytest.fixture
def phone(browser):
    context, page = _page(
        browser, viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True, has_touch=True
    )
    yield page
    context.close()


@pytest.fixture
def laptop(browser):
    context, page = _page(browser, viewport={"width": 1280, "height": 900})
    yield page
    context.close()


@pytest.fixture
def journey_phone(browser):
    """The phone of a journey that runs axe-core: the injected script bypasses the page's CSP (the
    policy has its own browser test, with the plain `phone`)."""
    context, page = _page(
        browser,
        viewport={"width": 390, "height": 844},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        bypass_csp=True,
    )
    yield page
    context.close()
