"""The second sign-in step: enforced for everyone who enrolled, and for all when required."""

import time

import pytest
import time_machine
from django.test import override_settings
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from haven.audit.models import AuditAction, AuditEvent
from haven.core.two_factor import FREE_SESSION_KEY

pytestmark = pytest.mark.django_db


def current_code(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():06d}"


def enrolled(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)


def test_an_enrolled_user_must_give_a_code_before_any_page(client_as, cast):
    device = enrolled(cast.advocate.user)
    client = client_as("advocate")
    response = client.get(reverse("cases:detail", args=[cast.case_a.pk]))
    assert response.status_code == 302
    assert response.url.startswith(reverse("two_factor"))
    assert not AuditEvent.objects.filter(action=AuditAction.CASE_VIEW).exists()
    assert client.get("/api/v1/cases/").status_code == 403

    next_url = reverse("cases:detail", args=[cast.case_a.pk])
    wrong = client.post(reverse("two_factor"), {"token": "000000", "next": next_url})
    assert wrong.status_code == 400
    assert AuditEvent.objects.filter(
        action=AuditAction.SIGN_IN_FAILED, details__second_factor="wrong code"
    ).exists()

    device.refresh_from_db()
    device.throttle_reset()  # each wrong code doubles the wait before the next try
    response = client.post(reverse("two_factor"), {"token": current_code(device), "next": next_url})
    assert response.status_code == 302 and response.url == next_url
    assert client.get(next_url).status_code == 200


def test_users_without_an_app_pass_through_when_it_is_not_required(client_as, cast):
    assert client_as("advocate").get(reverse("cases:caseload")).status_code == 200


@override_settings(REQUIRE_TWO_FACTOR=True)
def test_when_required_a_user_enrolls_at_the_next_sign_in(client_as, cast):
    client = client_as("supervisor")
    response = client.get(reverse("cases:list"))
    assert response.url.startswith(reverse("two_factor"))
    page = client.get(reverse("two_factor")).content.decode()
    assert "<svg" in page and "Turn on two-step sign-in" in page
    device = TOTPDevice.objects.get(user=cast.supervisor.user, confirmed=False)
    response = client.post(reverse("two_factor"), {"token": current_code(device), "next": "/"})
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(reverse("cases:list")).status_code == 200
    assert AuditEvent.objects.filter(details__second_factor="enrolled").exists()


def test_the_code_page_is_reachable_but_nothing_else_before_the_code(client_as, cast):
    enrolled(cast.auditor.user)
    client = client_as("auditor")
    assert client.get(reverse("two_factor")).status_code == 200
    assert client.get(reverse("audit:log")).status_code == 302


def test_a_user_without_a_device_is_checked_once_a_minute_not_on_every_page(client_as, cast):
    client = client_as("advocate")
    page = reverse("cases:caseload")
    with time_machine.travel("2026-03-02 10:00:00", tick=False):
        assert client.get(page).status_code == 200  # checked, and remembered in the session
        enrolled(cast.advocate.user)  # elsewhere: this session is not told
        assert client.get(page).status_code == 200
    with time_machine.travel("2026-03-02 10:01:00", tick=False):
        response = client.get(page)  # a minute on: checked again, and the code is asked
    assert response.status_code == 302 and response.url.startswith(reverse("two_factor"))


def test_an_agency_requirement_turned_on_holds_within_a_minute(client_as, cast):
    client = client_as("advocate")
    page = reverse("cases:caseload")
    with time_machine.travel("2026-03-02 10:00:00", tick=False):
        assert client.get(page).status_code == 200
    agency = cast.advocate.agency
    agency.require_two_factor = True
    agency.save(update_fields=["require_two_factor"])
    with time_machine.travel("2026-03-02 10:01:00", tick=False):
        response = client.get(page)
    assert response.status_code == 302 and response.url.startswith(reverse("two_factor"))


def remembered_free(client, user) -> None:
    """The session says, as of now, that `user` needs no second step."""
    session = client.session
    session[FREE_SESSION_KEY] = [user.pk, int(time.time())]
    session.save()


def test_the_remembered_answer_is_only_for_the_user_who_was_checked(client_as, cast):
    enrolled(cast.supervisor.user)
    client = client_as("supervisor")
    remembered_free(client, cast.advocate.user)
    response = client.get(reverse("cases:list"))
    assert response.status_code == 302 and response.url.startswith(reverse("two_factor"))


@override_settings(REQUIRE_TWO_FACTOR=True)
def test_a_remembered_answer_never_outweighs_the_installation_requirement(client_as, cast):
    client = client_as("advocate")
    remembered_free(client, cast.advocate.user)
    response = client.get(reverse("cases:caseload"))
    assert response.status_code == 302 and response.url.startswith(reverse("two_factor"))
