"""Passwords (change, reset by email) and two-step sign-in (agency requirement, recovery codes,
a coordinator resetting a lost device)."""

import re

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from haven.accounts.services import (
    RESET_LIMIT_PER_USER,
    agency_two_factor_require,
    member_two_factor_reset,
    recovery_codes_make,
)
from haven.agencies.models import Agency
from haven.audit.models import AuditAction
from haven.cases.testing import PASSWORD

NEW = "velvet tractor morning ninety"


@pytest.fixture
def alice_email(cast):
    cast.advocate.user.email = "alice@riverside.gov"
    cast.advocate.user.save()
    return "alice@riverside.gov"


def _sign_in(client, username="alice", password=PASSWORD):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_changing_a_password_needs_the_old_one(client, cast, new_audit_events):
    _sign_in(client)
    url = reverse("accounts:password_change")

    wrong = client.post(url, {"old_password": "nope", "new_password1": NEW, "new_password2": NEW})
    right = client.post(url, {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW})

    assert wrong.status_code == 200 and "incorrectly" in wrong.content.decode()
    assert right.status_code == 302
    cast.advocate.user.refresh_from_db()
    assert cast.advocate.user.check_password(NEW)
    assert [e.action for e in new_audit_events(action=AuditAction.PASSWORD_CHANGE)]


def test_reset_answers_the_same_whether_or_not_the_address_exists(client, alice_email):
    known = client.post(reverse("accounts:password_reset"), {"email": alice_email})
    unknown = client.post(reverse("accounts:password_reset"), {"email": "nobody@example.gov"})

    assert known.status_code == unknown.status_code == 302
    assert known.url == unknown.url
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [alice_email]


def test_a_reset_link_works_once(client, cast, alice_email, new_audit_events):
    client.post(reverse("accounts:password_reset"), {"email": alice_email})
    link = re.search(r"http://\S+", mail.outbox[0].body).group(0)

    form = client.get(link, follow=True)
    done = client.post(form.redirect_chain[-1][0], {"new_password1": NEW, "new_password2": NEW})
    again = client.get(link, follow=True)

    assert done.status_code == 302
    cast.advocate.user.refresh_from_db()
    assert cast.advocate.user.check_password(NEW)
    assert again.status_code == 404 and "Send me a new link" in again.content.decode()
    actions = [e.action for e in new_audit_events()]
    assert AuditAction.PASSWORD_RESET_REQUEST in actions and AuditAction.PASSWORD_RESET in actions


def test_reset_mails_are_rate_limited_per_account(client, alice_email):
    for _ in range(RESET_LIMIT_PER_USER + 2):
        response = client.post(reverse("accounts:password_reset"), {"email": alice_email})
        assert response.status_code == 302

    assert len(mail.outbox) == RESET_LIMIT_PER_USER


def test_a_deactivated_member_gets_no_reset_mail(client, cast, cora, alice_email):
    from haven.accounts.services import member_deactivate

    member_deactivate(actor=cora, member=cast.advocate)
    client.post(reverse("accounts:password_reset"), {"email": alice_email})

    assert mail.outbox == []


def test_an_agency_may_require_two_step_sign_in(client, cast, cora, new_audit_events):
    agency_two_factor_require(actor=cora, required=True)

    response = _sign_in(client)
    after = client.get(reverse("cases:caseload"))

    assert Agency.objects.get(pk=cast.agency_a.pk).require_two_factor
    assert after.status_code == 302 and after.url.startswith(reverse("two_factor"))
    assert response.status_code == 302
    assert new_audit_events(action=AuditAction.TWO_FACTOR_REQUIRE)[0].details == {"required": True}
    other = Agency.objects.get(pk=cast.agency_b.pk)
    assert not other.require_two_factor


def _enroll(client, user):
    client.get(reverse("two_factor"))
    device = TOTPDevice.objects.get(user=user)
    response = client.post(reverse("two_factor"), {"token": f"{totp(device.bin_key):06d}"})
    return device, response


def test_enrolling_offers_recovery_codes_that_work_once(client, cast):
    _sign_in(client)
    _device, enrolled = _enroll(client, cast.advocate.user)
    assert enrolled.url.startswith(reverse("accounts:recovery_codes"))

    shown = client.post(reverse("accounts:recovery_codes"))
    codes = re.findall(r"<li>(\w{8})</li>", shown.content.decode())
    assert len(codes) == 10
    client.post(reverse("logout"))
    _sign_in(client)
    used = client.post(reverse("two_factor"), {"token": codes[0]})
    client.post(reverse("logout"))
    _sign_in(client)
    reused = client.post(reverse("two_factor"), {"token": codes[0]})

    assert used.status_code == 302
    assert reused.status_code == 400
    assert StaticToken.objects.filter(device__user=cast.advocate.user).count() == 9


def test_recovery_codes_need_an_authenticator_first(cast):
    with pytest.raises(ValidationError, match="authenticator"):
        recovery_codes_make(user=cast.advocate.user)


def test_a_coordinator_resets_a_lost_device_after_their_own_password(cast, cora, new_audit_events):
    TOTPDevice.objects.create(user=cast.advocate.user, name="phone", confirmed=True)
    recovery_codes_make(user=cast.advocate.user)

    with pytest.raises(ValidationError, match="not your password"):
        member_two_factor_reset(actor=cora, member=cast.advocate, password="wrong")
    assert TOTPDevice.objects.filter(user=cast.advocate.user).exists()
    member_two_factor_reset(actor=cora, member=cast.advocate, password=PASSWORD)

    assert not TOTPDevice.objects.filter(user=cast.advocate.user).exists()
    assert not StaticDevice.objects.filter(user=cast.advocate.user).exists()
    events = new_audit_events(action=AuditAction.TWO_FACTOR_RESET)
    assert [e.details.get("refused") for e in events] == ["wrong password", None]


def test_the_reset_page_refuses_another_role(client_as, cast):
    TOTPDevice.objects.create(user=cast.advocate.user, name="phone", confirmed=True)

    response = client_as("supervisor").post(
        reverse("accounts:member_two_factor_reset", args=[cast.advocate.pk]),
        {"password": PASSWORD},
    )

    assert response.status_code == 403
    assert TOTPDevice.objects.filter(user=cast.advocate.user).exists()


def test_a_reset_with_the_mail_server_down_says_so_and_never_answers_an_error(
    client, alice_email, smtp_down, new_audit_events
):
    response = client.post(reverse("accounts:password_reset"), {"email": alice_email})

    assert response.status_code == 200
    assert "Haven could not send the email just now" in response.content.decode()
    [record] = new_audit_events(action=AuditAction.PASSWORD_RESET_REQUEST)
    assert record.details.get("sent") is False
