"""The coordinator's token pages: list, make (after the password again, the secret shown once),
revoke (confirm, then POST). Other roles are refused; another agency's token is not found."""

import pytest
from django.urls import reverse

from haven.audit.models import AuditAction
from haven.cases.testing import PASSWORD
from haven.integrations.models import ApiToken
from haven.integrations.services import api_token_create, api_token_revoke
from haven.lib.tokens import token_digest

pytestmark = pytest.mark.django_db

LIST = reverse("integrations:api_tokens")
NEW = reverse("integrations:api_token_new")


def revoke_url(token) -> str:
    return reverse("integrations:api_token_revoke", args=[token.pk])


@pytest.fixture
def coordinator(client_as):
    return client_as("coordinator")


def confirm_password(client, next_url: str):
    response = client.post(reverse("reconfirm"), {"password": PASSWORD, "next": next_url})
    assert response.status_code == 302 and response.url == next_url


def test_the_list_shows_the_agencys_tokens_and_not_their_secrets(
    cast, coordinator, cora, token_a, token_b
):
    token, secret = token_a
    old, _old_secret = api_token_create(actor=cora, name="Old RMS")
    api_token_revoke(actor=cora, token=old)

    response = coordinator.get(LIST)

    page = response.content.decode()
    assert response.status_code == 200
    assert [t.name for t in response.context["tokens"]] == ["Riverside RMS nightly", "Old RMS"]
    assert f"{token.prefix}…" in page and f"{old.prefix}…" in page
    assert "Cora Cole" in page and "never" in page
    assert page.count("Revoked ") == 1 and revoke_url(token) in page
    assert revoke_url(old) not in page
    assert secret not in page and token.digest not in page
    assert "Lakeside RMS" not in page and token_b[0].prefix not in page


def test_making_a_token_asks_for_the_password_then_shows_the_secret_once(
    cast, coordinator, new_audit_events
):
    first = coordinator.get(NEW)
    assert first.status_code == 302 and first.url.startswith(reverse("reconfirm"))
    confirm_password(coordinator, NEW)
    assert coordinator.get(NEW).status_code == 200

    response = coordinator.post(NEW, {"name": "RMS nightly export (Versaterm)"})

    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    token = ApiToken.objects.get()
    secret = response.context["secret"]
    assert secret.startswith(token.prefix) and token_digest(secret) == token.digest
    assert secret in response.content.decode()
    assert token.name == "RMS nightly export (Versaterm)" and token.created_by == cast.coordinator
    assert [e.action for e in new_audit_events()] == [AuditAction.API_TOKEN_CREATE]
    # Never again: the list shows the prefix only.
    assert secret not in coordinator.get(LIST).content.decode()


def test_a_token_without_a_name_is_not_made(cast, coordinator):
    confirm_password(coordinator, NEW)

    response = coordinator.post(NEW, {"name": "   "})

    assert response.status_code == 400
    assert "usa-error-message" in response.content.decode()
    assert not ApiToken.objects.exists()


def test_revoking_asks_to_confirm_then_revokes(cast, coordinator, token_a, new_audit_events):
    token, _secret = token_a

    confirm = coordinator.get(revoke_url(token))
    assert confirm.status_code == 200
    assert "Revoke the token" in confirm.content.decode()
    assert ApiToken.objects.get(pk=token.pk).revoked_at is None

    response = coordinator.post(revoke_url(token))

    assert response.status_code == 302 and response.url == LIST
    revoked = ApiToken.objects.get(pk=token.pk)
    assert revoked.revoked_at is not None and revoked.revoked_by == cast.coordinator
    assert [e.action for e in new_audit_events(action=AuditAction.API_TOKEN_REVOKE)] == [
        AuditAction.API_TOKEN_REVOKE
    ]
    assert "no longer works" in coordinator.get(LIST).content.decode()


def test_revoking_twice_says_it_was_already_revoked(cast, coordinator, cora, token_a):
    token, _secret = token_a
    api_token_revoke(actor=cora, token=token)
    when = ApiToken.objects.get(pk=token.pk).revoked_at

    response = coordinator.post(revoke_url(token))

    assert response.status_code == 400
    assert "already revoked" in response.content.decode()
    assert ApiToken.objects.get(pk=token.pk).revoked_at == when


def test_another_agencys_token_is_not_found(cast, coordinator, token_b):
    token, _secret = token_b

    assert coordinator.get(revoke_url(token)).status_code == 404
    assert coordinator.post(revoke_url(token)).status_code == 404
    assert ApiToken.objects.get(pk=token.pk).revoked_at is None


@pytest.mark.parametrize("role", ["advocate", "supervisor", "officer", "analyst", "auditor"])
def test_other_roles_are_refused_every_token_page(cast, client_as, role, token_a):
    token, _secret = token_a
    client = client_as(role)

    assert client.get(LIST).status_code == 403
    assert client.get(NEW).status_code == 403
    assert client.post(NEW, {"name": "Sneaky"}).status_code == 403
    assert client.post(revoke_url(token)).status_code == 403
    assert list(ApiToken.objects.values_list("name", "revoked_at")) == [
        ("Riverside RMS nightly", None)
    ]


def test_signed_out_visitors_are_sent_to_sign_in(cast, client, token_a):
    response = client.get(LIST)

    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    assert client.post(revoke_url(token_a[0])).status_code == 302
    assert ApiToken.objects.get().revoked_at is None
