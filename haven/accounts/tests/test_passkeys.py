"""Passkeys as a second sign-in step: added from the person's page, asked for after the
password, checked by py_webauthn (a software authenticator answers here; Chromium's virtual one
in tests/browser/test_passkeys.py), removed only after the password again, and reset with the
rest of a lost device by a coordinator."""

import json

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from haven.accounts.models import PasskeyDevice
from haven.accounts.services import member_two_factor_reset, recovery_codes_make
from haven.accounts.tests.authenticator import SoftPasskey
from haven.audit.models import AuditAction
from haven.cases.testing import PASSWORD

pytestmark = pytest.mark.django_db


def _post(client, name, body=None):
    return client.post(reverse(name), json.dumps(body or {}), content_type="application/json")


def _add(client, passkey, name="Work phone"):
    options = _post(client, "accounts:passkey_add_options").json()
    return _post(
        client, "accounts:passkey_add", {"credential": passkey.create(options), "name": name}
    )


@pytest.fixture
def alice(client, cast):
    client.post(reverse("login"), {"username": "alice", "password": PASSWORD})
    return cast.advocate.user


def test_a_passkey_is_added_and_then_asked_for_after_the_password(client, alice, new_audit_events):
    passkey = SoftPasskey()

    added = _add(client, passkey)

    assert added.status_code == 200, added.content
    device = PasskeyDevice.objects.get(user=alice)
    assert (device.name, device.credential_id, device.confirmed) == ("Work phone", passkey.id, True)
    assert new_audit_events(action=AuditAction.PASSKEY_ADD)[0].details["passkey"] == "Work phone"

    client.post(reverse("logout"))
    client.post(reverse("login"), {"username": "alice", "password": PASSWORD})
    held = client.get(reverse("cases:caseload"))
    assert held.status_code == 302 and held.url.startswith(reverse("two_factor"))
    page = client.get(held.url).content.decode()
    assert "Use a passkey" in page and "Scan this code" not in page

    options = _post(client, "accounts:passkey_sign_in_options").json()
    assert [c["id"] for c in options["allowCredentials"]] == [passkey.id]
    answer = _post(
        client, "accounts:passkey_sign_in", {"credential": passkey.get(options), "next": "/"}
    )

    assert answer.json() == {"redirect": "/"}
    assert client.get(reverse("cases:caseload")).status_code == 200
    device.refresh_from_db()
    assert device.sign_count == 1 and device.last_used_at is not None
    second = new_audit_events(action=AuditAction.SIGN_IN)
    assert second[-1].details == {"second_factor": "passkey"}


def test_a_challenge_answers_once(client, alice):
    passkey = SoftPasskey()
    _add(client, passkey)
    options = _post(client, "accounts:passkey_sign_in_options").json()
    answer = passkey.get(options)
    assert _post(client, "accounts:passkey_sign_in", {"credential": answer}).status_code == 200

    replay = _post(client, "accounts:passkey_sign_in", {"credential": answer})

    assert replay.status_code == 400
    assert "expired" in replay.json()["error"]


def test_another_persons_passkey_and_a_forged_signature_are_refused(
    client, alice, cast, new_audit_events
):
    mine, theirs = SoftPasskey(), SoftPasskey()
    _add(client, mine)
    options = _post(client, "accounts:passkey_sign_in_options").json()
    refused = _post(client, "accounts:passkey_sign_in", {"credential": theirs.get(options)})
    assert refused.status_code == 400 and "not one of yours" in refused.json()["error"]

    options = _post(client, "accounts:passkey_sign_in_options").json()
    forged = mine.get(options)
    forged["response"]["signature"] = theirs.get(options)["response"]["signature"]
    refused = _post(client, "accounts:passkey_sign_in", {"credential": forged})

    assert refused.status_code == 400 and "did not check out" in refused.json()["error"]
    failed = new_audit_events(action=AuditAction.SIGN_IN_FAILED)
    assert [e.details["second_factor"] for e in failed] == ["passkey refused"] * 2


def test_an_answer_for_another_site_is_refused(client, alice):
    phishing = SoftPasskey(origin="https://haven-login.example.com")
    options = _post(client, "accounts:passkey_add_options").json()

    refused = _post(client, "accounts:passkey_add", {"credential": phishing.create(options)})

    assert refused.status_code == 400
    assert "could not be added" in refused.json()["error"]
    assert not PasskeyDevice.objects.exists()


def test_a_passkey_already_added_is_not_added_twice(client, alice):
    passkey = SoftPasskey()
    _add(client, passkey)
    options = _post(client, "accounts:passkey_add_options").json()

    # The browser excludes it; a replayed answer is refused by the server too.
    assert [c["id"] for c in options["excludeCredentials"]] == [passkey.id]
    again = _post(client, "accounts:passkey_add", {"credential": passkey.create(options)})

    assert again.status_code == 400 and "already added" in again.json()["error"]


def test_removing_a_passkey_asks_for_the_password_again(client, alice, new_audit_events):
    _add(client, SoftPasskey())
    device = PasskeyDevice.objects.get(user=alice)
    url = reverse("accounts:passkey_remove", args=[device.pk])

    first = client.post(url)
    assert first.status_code == 302 and first.url.startswith(reverse("reconfirm"))
    assert PasskeyDevice.objects.filter(pk=device.pk).exists()

    client.post(reverse("reconfirm"), {"password": PASSWORD, "next": "/"})
    client.post(url)

    assert not PasskeyDevice.objects.filter(pk=device.pk).exists()
    assert new_audit_events(action=AuditAction.PASSKEY_REMOVE)[0].details["passkey"] == "Work phone"


def test_someone_elses_passkey_cannot_be_removed(client, alice, cast):
    from haven.accounts.passkeys import passkey_remove

    other = PasskeyDevice.objects.create(
        user=cast.supervisor.user, name="Theirs", credential_id="abc", public_key=b"k"
    )
    with pytest.raises(ValidationError, match="not one of yours"):
        passkey_remove(user=alice, device_id=other.pk)
    assert PasskeyDevice.objects.filter(pk=other.pk).exists()


def test_a_passkey_allows_recovery_codes_and_a_device_reset_removes_it(cast, cora):
    PasskeyDevice.objects.create(
        user=cast.advocate.user, name="Phone", credential_id="xyz", public_key=b"k"
    )
    assert len(recovery_codes_make(user=cast.advocate.user)) > 0

    member_two_factor_reset(actor=cora, member=cast.advocate, password=PASSWORD)

    assert not PasskeyDevice.objects.filter(user=cast.advocate.user).exists()


def test_the_security_page_lists_passkeys(client, alice):
    _add(client, SoftPasskey(), name="Desk key")

    page = client.get(reverse("accounts:security")).content.decode()
    listing = client.get(reverse("accounts:passkeys")).content.decode()

    assert "1 passkey" in page
    assert "Desk key" in listing
