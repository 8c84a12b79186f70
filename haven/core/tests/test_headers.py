"""No victim data left in a browser's cache: every answer, to staff, to a victim's or a
partner's link, to an API token, carries Cache-Control: no-store (NoStoreMiddleware, or the
view's own stricter header). And the API schema only for staff and tokens. And a
Content-Security-Policy with no inline script on every page."""

import re
from pathlib import Path

import pytest
from django.conf import settings

from haven.consent.tests.test_leaks import all_routes, fill
from haven.integrations.services import api_token_create

SKIPPED = {"logout"}

pytestmark = pytest.mark.django_db


def _values(cast):
    return {
        "case_id": cast.case_a.pk,
        "panel": "justice",
        "person_id": cast.case_a.primary_victim_id,
        "task_id": cast.case_a.tasks.first().pk,
    }


@pytest.mark.parametrize("role", ["supervisor", "advocate", None])
def test_every_answer_says_no_store(client, cast, role):
    client.raise_request_exception = False
    if role:
        client.force_login(getattr(cast, role).user)
    checked = 0
    for name, route in all_routes():
        if name in SKIPPED:
            continue
        path = fill(route, _values(cast))
        response = client.get(path)
        assert "no-store" in response.get("Cache-Control", ""), f"GET {path} ({name}) as {role}"
        checked += 1
    assert checked > 100


def test_the_pages_that_hold_victim_data_say_no_store(client, cast):
    client.force_login(cast.supervisor.user)
    case, person = cast.case_a, cast.case_a.primary_victim
    for path in (f"/cases/{case.pk}/", f"/people/{person.pk}/", "/cases/"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert response["Cache-Control"] == "no-store", path


def test_api_answers_to_a_token_say_no_store(client, cast, cora):
    _token, secret = api_token_create(actor=cora, name="Riverside RMS")
    response = client.get("/api/v1/cases/", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert "no-store" in response["Cache-Control"]


def test_a_view_that_sets_its_own_cache_control_keeps_it(rf):
    from django.http import HttpResponse

    from haven.core.middleware import NoStoreMiddleware

    def view(request):
        response = HttpResponse()
        response["Cache-Control"] = "private, no-store, max-age=0"
        return response

    assert NoStoreMiddleware(view)(rf.get("/"))["Cache-Control"] == "private, no-store, max-age=0"
    assert NoStoreMiddleware(lambda r: HttpResponse())(rf.get("/"))["Cache-Control"] == "no-store"


def test_the_api_schema_is_refused_to_anyone_signed_out(client, cast):
    response = client.get("/api/schema/")
    assert response.status_code in (401, 403)
    assert b"openapi" not in response.content


def test_the_api_schema_is_served_to_signed_in_staff(client, cast):
    client.force_login(cast.advocate.user)
    response = client.get("/api/schema/")
    assert response.status_code == 200
    assert b"openapi" in response.content


def test_the_api_schema_is_served_to_an_api_token_and_refused_to_a_bad_one(client, cast, cora):
    _token, secret = api_token_create(actor=cora, name="Riverside RMS")
    response = client.get("/api/schema/", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.status_code == 200
    assert b"openapi" in response.content
    refused = client.get("/api/schema/", HTTP_AUTHORIZATION="Bearer hvn_not_a_token")
    assert refused.status_code == 401


# Content-Security-Policy (django-csp): no inline script anywhere.

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I)
INLINE_HANDLER = re.compile(r"\son[a-z]+\s*=\s*[\"']", re.I)
INLINE_STYLE = re.compile(r"<style[\s>]|\sstyle\s*=\s*[\"']", re.I)


@pytest.mark.parametrize("role", ["supervisor", "advocate", None])
def test_every_page_carries_a_policy_with_no_inline_script(client, cast, role):
    client.raise_request_exception = False
    if role:
        client.force_login(getattr(cast, role).user)
    for name, route in all_routes():
        if name in SKIPPED:
            continue
        path = fill(route, _values(cast))
        response = client.get(path)
        if not response.get("Content-Type", "").startswith("text/html"):
            continue
        policy = response.get("Content-Security-Policy", "")
        assert "script-src 'self'" in policy and "unsafe-inline" not in policy, f"GET {path}"
        assert "frame-ancestors 'none'" in policy, f"GET {path}"


def test_no_template_holds_an_inline_script_handler_or_style():
    """The policy would block them in the browser: scripts and styles live in static files."""
    root = Path(settings.BASE_DIR) / "haven"
    found = []
    for template in root.rglob("templates/**/*.html"):
        text = template.read_text()
        for pattern in (INLINE_SCRIPT, INLINE_HANDLER, INLINE_STYLE):
            found += [
                f"{template.relative_to(root)}: {m.group(0)!r}" for m in pattern.finditer(text)
            ]
    assert not found, "move these into a static file:\n" + "\n".join(found)
