"""The API keeps its published contract: schemathesis reads the live OpenAPI schema and sends
generated requests (valid and invalid) to every operation, as a signed-in coordinator would, and
checks each answer: no server error, a status code and content type the schema lists, a body
that matches it, invalid input refused. Left out: "schema-valid data is accepted": a case's own
rules (a contact before the case was received, say) refuse data the schema allows, with a 400
that says what to fix, as documented; and "invalid authentication is refused": every request
here carries the coordinator's session cookie, which stands whatever token schemathesis spoils
(tokens are tried in test_authentication.py)."""

import json
from contextlib import contextmanager

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import load_all_checks
from schemathesis.specs.openapi.checks import ignored_auth, positive_data_acceptance

from haven.wsgi import application

pytestmark = pytest.mark.django_db

CSRF = "a" * 32
EXAMPLES = 25


@contextmanager
def kept_connection():
    """The WSGI app is called straight, and Django closes "old" connections as each request
    starts and ends: the test transaction's own connection, on PostgreSQL. Django's test client
    turns that off around each of its requests (and back on after); so does this sweep."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def test_every_operation_keeps_the_published_contract(client, cast):
    client.force_login(cast.coordinator.user)
    cookies = {"sessionid": client.cookies["sessionid"].value, "csrftoken": CSRF}
    load_all_checks()
    raw = client.get("/api/schema/", {"format": "json"}).content
    schema = schemathesis.openapi.from_dict(json.loads(raw))
    schema.app = application
    failures = []
    for result in schema.get_all_operations():
        operation = result.ok()

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def check(case):
            case.call_and_validate(
                headers={"X-CSRFToken": CSRF},
                cookies=cookies,
                excluded_checks=[positive_data_acceptance, ignored_auth],
            )

        try:
            with kept_connection():
                check()
        except Exception as error:  # noqa: BLE001 - collected and shown together
            failures.append(f"{operation.label}: {error}")
    assert not failures, "\n\n".join(failures)
