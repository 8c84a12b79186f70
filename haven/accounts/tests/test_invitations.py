"""Invitations: a coordinator (or the command) invites; the link sets a password once."""

from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from haven.accounts.models import Invitation
from haven.accounts.services import invitation_accept, invitation_create
from haven.agencies.models import Membership
from haven.agencies.roles import Role
from haven.audit.models import AuditAction

NEW_PASSWORD = "plum orchard lantern seventeen"


def _token(link: str) -> str:
    return link.rstrip("/").rsplit("/", 1)[-1]


@pytest.fixture
def invited(cora, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invitation, link = invitation_create(
            actor=cora, email="Dee.Nguyen@Riverside.gov", role=Role.ADVOCATE, base_url="http://t"
        )
    return invitation, link


def test_an_invitation_makes_the_member_at_once_and_mails_the_link(new_audit_events, invited, cast):
    invitation, link = invited

    member = Membership.objects.get(agency=cast.agency_a, user__email="dee.nguyen@riverside.gov")
    assert member.is_active and member.role == Role.ADVOCATE
    assert member.user.username == "dee.nguyen@riverside.gov"
    assert not member.user.has_usable_password()
    assert invitation.expires_at - invitation.created_at == timedelta(hours=72)
    assert link.startswith("http://t/accounts/invitation/")
    assert _token(link) not in invitation.digest  # only the digest is kept
    assert len(mail.outbox) == 1 and link in mail.outbox[0].body
    assert mail.outbox[0].to == ["dee.nguyen@riverside.gov"]
    assert [e.action for e in new_audit_events()] == [AuditAction.MEMBER_INVITE]


def test_only_coordinators_invite(sam):
    with pytest.raises(PermissionDenied):
        invitation_create(actor=sam, email="x@example.gov", role=Role.ADVOCATE)


@pytest.mark.parametrize("role", ["operator", "superuser", ""])
def test_a_role_the_inviter_may_not_grant_is_refused(cora, role):
    with pytest.raises(ValidationError) as exc:
        invitation_create(actor=cora, email="x@example.gov", role=role)

    assert "may not grant" in str(exc.value)
    assert not get_user_model().objects.filter(email="x@example.gov").exists()


def test_inviting_someone_already_on_the_team_is_refused(cora, cast):
    cast.advocate.user.email = "alice@riverside.gov"
    cast.advocate.user.save()

    with pytest.raises(ValidationError, match="already on the team"):
        invitation_create(actor=cora, email="ALICE@riverside.gov", role=Role.ADVOCATE)


def test_a_member_of_another_agency_is_invited_with_the_same_sign_in(cora, cast, client):
    cast.other_advocate.user.email = "charlie@lakeside.gov"
    cast.other_advocate.user.save()

    invitation, link = invitation_create(actor=cora, email="charlie@lakeside.gov", role="advocate")
    response = client.post(reverse("accounts:invitation", args=[_token(link)]))

    assert response.status_code == 302 and response.url == reverse("login")
    assert Membership.objects.filter(user=cast.other_advocate.user, is_active=True).count() == 2
    assert Invitation.objects.get(pk=invitation.pk).used_at is not None


def test_the_link_sets_the_password_and_signs_the_person_in(invited, client, new_audit_events):
    invitation, link = invited
    url = reverse("accounts:invitation", args=[_token(link)])

    page = client.get(url)
    response = client.post(url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    assert page.status_code == 200 and "Riverside" in page.content.decode()
    assert response.status_code == 302 and response.url == reverse("home")
    user = get_user_model().objects.get(pk=invitation.user_id)
    assert user.check_password(NEW_PASSWORD)
    assert client.session["agency_id"] == invitation.agency_id
    assert AuditAction.INVITATION_ACCEPT in [e.action for e in new_audit_events()]


@pytest.mark.parametrize(
    "password, message",
    [
        ("short pass", "too short"),
        ("password1234", "too common"),
        ("havenhaven2026", "Don"),
        ("dee.nguyen@riverside.gov", "too similar"),
    ],
)
def test_the_nist_rules_refuse_weak_passwords(invited, client, password, message):
    invitation, link = invited
    response = client.post(
        reverse("accounts:invitation", args=[_token(link)]),
        {"new_password1": password, "new_password2": password},
    )

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not get_user_model().objects.get(pk=invitation.user_id).has_usable_password()


def test_a_link_used_twice_says_so(invited, client):
    _invitation, link = invited
    url = reverse("accounts:invitation", args=[_token(link)])
    client.post(url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    client.logout()

    again = client.get(url)

    assert again.status_code == 410
    assert "already used" in again.content.decode()
    assert "Forgot your password?" in again.content.decode()


def test_an_expired_link_says_so_and_sends_a_new_one_once(
    invited, client, django_capture_on_commit_callbacks
):
    invitation, link = invited
    url = reverse("accounts:invitation", args=[_token(link)])
    mail.outbox.clear()

    with time_machine.travel(timezone.now() + timedelta(hours=73)):
        page = client.get(url)
        with django_capture_on_commit_callbacks(execute=True):
            renewed = client.post(reverse("accounts:invitation_renew", args=[_token(link)]))
        twice = client.post(reverse("accounts:invitation_renew", args=[_token(link)]))

    assert page.status_code == 410 and "expired" in page.content.decode()
    assert "Send me a new link" in page.content.decode()
    assert renewed.status_code == 200
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [invitation.email]
    assert twice.status_code == 410  # the first new link is still open
    still_open = Invitation.objects.filter(user=invitation.user, used_at=None, revoked_at=None)
    assert [i.pk for i in still_open] != [invitation.pk] and still_open.count() == 1


def test_a_deactivated_members_link_says_so(invited, client, cora):
    from haven.accounts.services import member_deactivate

    invitation, link = invited
    member_deactivate(actor=cora, member=invitation.membership)

    response = client.get(reverse("accounts:invitation", args=[_token(link)]))

    assert response.status_code == 410
    assert "deactivated" in response.content.decode()
    assert "Send me a new link" not in response.content.decode()


def test_an_unknown_link_is_not_found(client, db):
    response = client.get(reverse("accounts:invitation", args=["nope"]))

    assert response.status_code == 404
    assert "not valid" in response.content.decode()


def test_two_tabs_accepting_at_once_use_the_link_once(invited):
    invitation, _link = invited
    stale = Invitation.objects.get(pk=invitation.pk)
    invitation_accept(invitation=invitation, password=NEW_PASSWORD)

    with pytest.raises(ValidationError, match="already used"):
        # The second tab read the invitation before the first one used it.
        stale.used_at = None
        invitation_accept(invitation=stale, password="another long passphrase here")

    assert get_user_model().objects.get(pk=invitation.user_id).check_password(NEW_PASSWORD)


def test_member_invite_command_prints_the_link(cast, capsys):
    call_command("member_invite", agency="riverside", email="new@riverside.gov", role="supervisor")

    out = capsys.readouterr().out
    assert "/accounts/invitation/" in out
    assert Membership.objects.get(user__email="new@riverside.gov").role == Role.SUPERVISOR


def test_member_invite_command_refuses_an_unknown_role(cast):
    with pytest.raises(CommandError, match="No role"):
        call_command("member_invite", agency="riverside", email="n@r.gov", role="operator")
