"""The browser harness works, and Haven's sign-in page loads in a real Chromium."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_harness_serves_static_files_to_chromium(page, live_server):
    """Independent of Haven's pages: Chromium reaches the live server, which serves USWDS."""
    response = page.goto(f"{live_server.url}/static/uswds/css/uswds.min.css")
    assert response is not None
    assert response.status == 200
    assert "text/css" in response.headers["content-type"]


def test_the_sign_in_page_loads(page, live_server):
    response = page.goto(f"{live_server.url}/accounts/login/")
    assert response is not None
    assert response.status == 200
    assert "Sign in" in page.title()
    assert page.locator("input[name=username]").is_visible()
    assert page.locator("input[name=password]").is_visible()
    assert page.get_by_role("button", name="Sign in").is_visible()
