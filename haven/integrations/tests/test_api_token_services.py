"""Making and revoking API tokens: the coordinator's, audited, and the secret kept nowhere."""

import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command

from haven.audit.models import AuditAction, AuditEvent
from haven.integrations.models import ApiToken
from haven.integrations.selectors import api_token_for_secret, api_tokens_for
from haven.integrations.services import api_token_create, api_token_revoke
from haven.lib.tokens import token_digest

pytestmark = pytest.mark.django_db


def test_a_coordinator_makes_a_token_and_gets_its_secret_once(cast, cora, new_audit_events):
    token, secret = api_token_create(actor=cora, name="  Riverside   RMS nightly ")

    assert secret.startswith("hvn_") and len(secret) >= 40
    stored = ApiToken.objects.get(pk=token.pk)
    assert stored.agency == cast.agency_a
    assert stored.name == "Riverside RMS nightly"
    assert stored.digest == token_digest(secret)
    assert stored.prefix == secret[:12]
    assert stored.created_by == cast.coordinator
    assert stored.revoked_at is None and stored.last_used_at is None
    assert stored.permissions == ["incidents.import", "justice.import"]
    [event] = new_audit_events(action=AuditAction.API_TOKEN_CREATE)
    assert event.agency_id == cast.agency_a.pk and event.actor_label == "cora"
    assert event.object_id == str(token.pk)
    assert event.details == {"name": "Riverside RMS nightly", "prefix": stored.prefix}


def test_the_secret_is_never_stored_in_the_database_or_the_access_log(cast, cora, tmp_path):
    _token, secret = api_token_create(actor=cora, name="RMS")
    api_token_revoke(actor=cora, token=ApiToken.objects.get())

    dump = tmp_path / "dump.json"
    call_command("dumpdata", "integrations", "audit", output=str(dump), verbosity=0)
    text = dump.read_text()
    assert secret not in text
    assert secret[12:] not in text  # not even the part after the displayed prefix
    assert '"model": "integrations.apitoken"' in text
    assert all(secret not in json.dumps(e.details) for e in AuditEvent.objects.all())


def test_each_token_gets_its_own_secret(cast, cora):
    first = api_token_create(actor=cora, name="RMS")
    second = api_token_create(actor=cora, name="RMS")

    assert first[1] != second[1]
    assert ApiToken.objects.filter(name="RMS").count() == 2


@pytest.mark.parametrize("role", ["advocate", "supervisor", "officer", "analyst", "auditor"])
def test_only_a_coordinator_makes_or_revokes_tokens(cast, cora, role, new_audit_events):
    token, _secret = api_token_create(actor=cora, name="RMS")
    other = cast.actor(role)

    with pytest.raises(PermissionDenied):
        api_token_create(actor=other, name="Sneaky")
    with pytest.raises(PermissionDenied):
        api_token_revoke(actor=other, token=token)

    assert list(ApiToken.objects.values_list("name", "revoked_at")) == [("RMS", None)]
    assert [e.action for e in new_audit_events()] == [AuditAction.API_TOKEN_CREATE]


def test_a_token_needs_a_name_that_fits(cast, cora):
    with pytest.raises(ValidationError) as blank:
        api_token_create(actor=cora, name="   ")
    with pytest.raises(ValidationError) as long:
        api_token_create(actor=cora, name="x" * 101)

    assert "name" in blank.value.message_dict and "name" in long.value.message_dict
    assert not ApiToken.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditAction.API_TOKEN_CREATE).exists()


def test_revoking_stamps_who_and_when_and_is_audited(cast, cora, token_a, new_audit_events):
    token, _secret = token_a

    revoked = api_token_revoke(actor=cora, token=token)

    assert revoked.revoked_at is not None and revoked.revoked_by == cast.coordinator
    assert ApiToken.objects.get(pk=token.pk).revoked_at == revoked.revoked_at
    [event] = new_audit_events(action=AuditAction.API_TOKEN_REVOKE)
    assert event.object_id == str(token.pk) and event.actor_label == "cora"


def test_a_token_is_revoked_only_once(cast, cora, token_a, new_audit_events):
    token, _secret = token_a
    api_token_revoke(actor=cora, token=token)
    first = ApiToken.objects.get(pk=token.pk).revoked_at

    with pytest.raises(ValidationError, match="already revoked"):
        api_token_revoke(actor=cora, token=token)

    assert ApiToken.objects.get(pk=token.pk).revoked_at == first
    assert len(new_audit_events(action=AuditAction.API_TOKEN_REVOKE)) == 1


def test_another_agencys_token_cannot_be_revoked(cast, cora, token_b):
    token, _secret = token_b

    with pytest.raises(PermissionDenied):
        api_token_revoke(actor=cora, token=token)

    assert ApiToken.objects.get(pk=token.pk).revoked_at is None


def test_the_list_holds_only_the_agencys_tokens_in_use_first(cast, cora, token_a, token_b):
    old, _ = api_token_create(actor=cora, name="Old RMS")
    api_token_revoke(actor=cora, token=old)
    newest, _ = api_token_create(actor=cora, name="New RMS")

    names = [t.name for t in api_tokens_for(cora)]

    assert names == ["New RMS", "Riverside RMS nightly", "Old RMS"]


def test_a_secret_is_found_by_its_digest_and_nothing_else_is(cast, token_a):
    token, secret = token_a

    assert api_token_for_secret(secret) == token
    assert api_token_for_secret(secret + "x") is None
    assert api_token_for_secret(token.digest) is None
    assert api_token_for_secret(token.prefix) is None
    assert api_token_for_secret("") is None
