"""Browser tests: Playwright (sync API) drives Debian's Chromium against the live test server.

One Chromium per test session (per xdist worker), a fresh context (cookies, storage) per test.
Each test must carry @pytest.mark.browser; anything that signs in also wants `live_cast`.
On failure a screenshot of each open page is saved into test-artifacts/.
"""

import os
import re

# Playwright's sync API keeps an asyncio loop marked as running in this thread between calls, so
# Django's async-safety check would refuse every ORM call made by test code (and by later tests
# in the same process). Test code never runs inside that loop, so the check does not apply.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

import pytest  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

from haven.cases.testing import PASSWORD  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DESKTOP = {"viewport": {"width": 1280, "height": 800}}
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 3,
    "is_mobile": True,
    "has_touch": True,
}
TIMEOUT_MS = 10_000  # Playwright's default of 30 s only makes a broken test slower.


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the test item, so fixtures can tell a test has failed."""
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def browser():
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(
            f"{CHROMIUM} is missing: make test installs it (scripts/ensure-system-packages)."
        )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


def _page(request, browser, options, name):
    context = browser.new_context(**options)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    refused = []  # what the Content-Security-Policy blocked: a script or style to move out
    page.on(
        "console",
        lambda message: (
            refused.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    yield page
    failed = any(
        getattr(request.node, f"rep_{when}", None) is not None
        and getattr(request.node, f"rep_{when}").failed
        for when in ("setup", "call")
    )
    try:
        if failed and not page.is_closed():
            artifacts = request.config.rootpath / "test-artifacts"
            artifacts.mkdir(exist_ok=True)
            stem = re.sub(r"[^\w.-]+", "_", request.node.nodeid).strip("_")
            path = artifacts / f"{stem}-{name}.png"
            page.screenshot(path=str(path), full_page=True)
            print(f"\nscreenshot of {page.url}: {path}")
    finally:
        context.close()
    assert not refused, "the Content-Security-Policy refused:\n" + "\n".join(refused)


@pytest.fixture
def page(request, browser, live_server):
    """A desktop-sized page (1280x800) in a context of its own."""
    yield from _page(request, browser, DESKTOP, "page")


@pytest.fixture
def phone_page(request, browser, live_server):
    """A phone-sized page (390x844, is_mobile, touch) in a context of its own."""
    yield from _page(request, browser, PHONE, "phone")


@pytest.fixture
def live_cast(transactional_db):
    """The shared cast (see haven.cases.testing), committed so the live server sees it."""
    from haven.cases.testing import build_cast

    return build_cast()


def sign_in(page, live_server, username, password=PASSWORD, *, expect_success=True):
    """Sign in through the real login form. With expect_success, fail unless we left the form."""
    base = str(getattr(live_server, "url", live_server)).rstrip("/")
    page.goto(f"{base}/accounts/login/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(password)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()
    if expect_success:
        assert "/accounts/login/" not in page.url, (
            f"sign-in as {username!r} failed; still on the form: "
            + page.locator("body").inner_text()[:500]
        )
    return page
