"""The API keeps its published contract: schemathesis reads the live OpenAPI schema and sends
generated requests (valid and invalid) to every operation, as a signed-in coordinator would, and
checks each answer: no server error, a status code and content type the schema lists, a body
that matches it, invalid input refused. Left out: "schema-valid data is accepted": a case's own
rules (a contact before the case was received, say) refuse data the schema allows, with a 400
that says what to fix, as documented; and "invalid authentication is refused": every request
here carries the coordinator's session cookie, which stands whatever token schemathesis spoils
(tokens are tried in test_authentication.py)."""

import json

import pytest
import schemathesis
from django.db import connection
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import load_all_checks
from schemathesis.specs.openapi.checks import ignored_auth, positive_data_acceptance

from haven.wsgi import application

# A fuzzing sweep runs once, on the SQLite pass, as the browser sweeps do. (On PostgreSQL the
# WSGI app called straight loses the test transaction's connection; not chased further.)
pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "sqlite", reason="the sweep runs on SQLite"),
]

CSRF = "a" * 32
EXAMPLES = 25


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
            check()
        except Exception as error:  # noqa: BLE001 - collected and shown together
            failures.append(f"{operation.label}: {error}")
    assert not failures, "\n\n".join(failures)
