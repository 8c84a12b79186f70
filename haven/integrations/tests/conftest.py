"""Shortcuts for the integrations tests: a coordinator's token of agency A (and its secret), a
client that sends it."""

import pytest

from haven.integrations.services import api_token_create

IMPORT_URL = "/api/v1/incidents/import/"


@pytest.fixture
def token_a(cast, cora):  # noqa: F811 - the fixture imported above
    """(token, secret) of agency A, made by Cora the coordinator."""
    return api_token_create(actor=cora, name="Riverside RMS nightly")


@pytest.fixture
def token_b(cast):
    """(token, secret) of agency B, made by a command (B has no coordinator in the cast)."""
    from haven.core.actor import Actor

    return api_token_create(actor=Actor.system(cast.agency_b, "pytest"), name="Lakeside RMS")


@pytest.fixture
def bearer(client):
    """bearer(secret) -> a function calling the test client with that token:
    call("post", url, data=..., content_type=...)."""

    def with_token(secret: str):
        def call(method: str, url: str, data=None, **extra):
            return getattr(client, method)(
                url, data, HTTP_AUTHORIZATION=f"Bearer {secret}", **extra
            )

        return call

    return with_token


def push(call, body: bytes | str, *, query: str = "profile=chicago", content_type="text/csv"):
    """POST an export as the raw body to the import endpoint."""
    if isinstance(body, str):
        body = body.encode()
    return call("post", f"{IMPORT_URL}?{query}", data=body, content_type=content_type)
