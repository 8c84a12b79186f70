"""Invitations: a coordinator invites a person to the agency (or an operator invites an operator),
the person uses the link once to set a password, and may ask for a fresh one.

The contract single sign-on relies on (docs/team.md): an invitation creates the person's
`User` (username and email the invited address, lower-cased; password unusable until they set
one) and an active `Membership` in the agency, at once.
"""

from __future__ import annotations

import zoneinfo

from django.conf import settings
from django.contrib.auth import get_user_model, password_validation
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from haven.accounts import emails
from haven.accounts.models import (
    INVITATION_VALID,
    OPERATOR,
    Invitation,
    InvitationState,
)
from haven.accounts.services.audit_self import audit_self
from haven.agencies.models import Agency, District, Membership
from haven.agencies.roles import Perm, Role
from haven.audit.models import AuditAction
from haven.audit.services import audit_record
from haven.core.actor import Actor
from haven.lib.tokens import new_token

STATE_MESSAGES = {
    InvitationState.USED: "This link was already used to set a password. Sign in, or reset "
    "your password if you have forgotten it.",
    InvitationState.EXPIRED: "This link has expired: links work for 72 hours.",
    InvitationState.REVOKED: "This link was replaced by a newer one or withdrawn. Use the "
    "newest message you received, or ask for a new link.",
}


def _link(base_url: str, token: str) -> str:
    base = (base_url or settings.SITE_URL or "").rstrip("/")
    return base + reverse("accounts:invitation", args=[token])


def _normal_email(email: str) -> str:
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError(
            {"email": gettext("Give an email address such as name@example.gov.")}
        ) from None
    return email


def _new_invitation(
    *, user, agency, membership, email: str, role: str, invited_by: str, base_url: str
) -> tuple[Invitation, str]:
    """Open a new link, withdrawing the person's older open ones, and mail it after commit."""
    token, digest = new_token()
    now = timezone.now()
    Invitation.objects.filter(
        user=user, agency=agency, used_at__isnull=True, revoked_at__isnull=True
    ).update(revoked_at=now)
    invitation = Invitation.objects.create(
        agency=agency,
        membership=membership,
        user=user,
        email=email,
        role=role,
        digest=digest,
        invited_by=invited_by[:150],
        created_at=now,
        expires_at=now + INVITATION_VALID,
    )
    link = _link(base_url, token)
    place = agency.name if agency else "this Haven installation"
    role_label = "an operator" if role == OPERATOR else f"{Role(role).label.lower()}"
    tz = agency.tz if agency else zoneinfo.ZoneInfo(settings.TIME_ZONE)
    transaction.on_commit(
        lambda: emails.send_invitation(
            email=email,
            link=link,
            place=place,
            role_label=role_label,
            expires_at=invitation.expires_at,
            tz=tz,
            agency=agency,
        ),
        robust=True,
    )
    return invitation, link


def _invitee(email: str, agency: Agency):
    """The person at `email` (made, with an unusable password, if Haven does not know them),
    refused when they already have a membership in `agency`."""
    User = get_user_model()
    user = (
        User.objects.filter(email__iexact=email).first()
        or User.objects.filter(username__iexact=email).first()
    )
    if user is None:
        user = User(username=email, email=email)
        user.set_unusable_password()
        user.save()
        return user
    existing = Membership.objects.filter(agency=agency, user=user).first()
    if existing is not None:
        raise ValidationError(
            {
                "email": f"{email} is already on the team."
                if existing.is_active
                else f"{email} was deactivated: reactivate them on the Team page instead."
            }
        )
    return user


def invitation_create(
    *,
    actor: Actor,
    email: str,
    role: str,
    district: District | None = None,
    base_url: str = "",
) -> tuple[Invitation, str]:
    """Invite a person to the actor's agency with a role; returns the invitation and its link.

    Only coordinators (agency.configure) invite. Refused: a role that is not an agency role
    (an operator is made by an operator, never by a coordinator), an address that is already
    a member (an inactive one is reactivated instead), a district of another agency.
    """
    actor.require(Perm.AGENCY_CONFIGURE)
    email = _normal_email(email)
    if role not in Role.values:
        raise ValidationError(
            {"role": gettext("You may not grant that role: choose one of the agency's roles.")}
        )
    if district is not None and district.agency_id != actor.agency.pk:
        raise ValidationError({"district": gettext("Choose a district of this agency.")})
    with transaction.atomic():
        user = _invitee(email, actor.agency)
        membership = Membership.objects.create(
            agency=actor.agency, user=user, role=role, district=district
        )
        invitation, link = _new_invitation(
            user=user,
            agency=actor.agency,
            membership=membership,
            email=email,
            role=role,
            invited_by=actor.label,
            base_url=base_url,
        )
        audit_record(
            actor=actor,
            action=AuditAction.MEMBER_INVITE,
            obj=membership,
            details={"role": role, "district": district.pk if district else None},
        )
    return invitation, link


def invitation_resend(
    *, actor: Actor, member: Membership, base_url: str = ""
) -> tuple[Invitation, str]:
    """Send a member who has not set a password yet a fresh link (the old ones stop working)."""
    actor.require(Perm.AGENCY_CONFIGURE)
    actor.require_own(member)
    if not member.is_active:
        raise ValidationError(gettext("Reactivate this member before sending them a link."))
    if member.user.has_usable_password():
        raise ValidationError(
            f"{member.display_name} has already set a password: they can reset it from the "
            "sign-in page if they forgot it."
        )
    with transaction.atomic():
        invitation, link = _new_invitation(
            user=member.user,
            agency=actor.agency,
            membership=member,
            email=member.user.email,
            role=member.role,
            invited_by=actor.label,
            base_url=base_url,
        )
        audit_record(
            actor=actor,
            action=AuditAction.INVITATION_RENEW,
            obj=member,
            details={"by": "coordinator"},
        )
    return invitation, link


def invitation_refusal(invitation: Invitation) -> str:
    """Why this link opens nothing now ("" when it may be used)."""
    if invitation.agency is not None and not invitation.agency.is_active:
        return "This agency's access to Haven is suspended, so its links open nothing for now."
    if invitation.membership is not None and not invitation.membership.is_active:
        return (
            "Your membership was deactivated, so this link no longer works. Ask your unit's "
            "coordinator if this is a mistake."
        )
    if invitation.role == OPERATOR and not invitation.user.is_staff:
        return "This operator invitation was withdrawn."
    return STATE_MESSAGES.get(invitation.state, "")


def invitation_may_renew(invitation: Invitation) -> bool:
    """A person may ask for a new link from an expired or replaced one they never used, while
    their membership is active: the new link goes to the invited address only."""
    return (
        invitation.state in (InvitationState.EXPIRED, InvitationState.REVOKED)
        and not invitation.user.has_usable_password()
        and not Invitation.objects.filter(
            user=invitation.user,
            agency=invitation.agency,
            created_at__gt=invitation.created_at,
            used_at__isnull=True,
            revoked_at__isnull=True,
            expires_at__gt=timezone.now(),
        ).exists()
        and (invitation.membership is None or invitation.membership.is_active)
        and (invitation.agency is None or invitation.agency.is_active)
    )


def invitation_renew(
    *, invitation: Invitation, ip: str | None = None, base_url: str = ""
) -> Invitation:
    """The person behind an expired link asks for a new one; it is mailed to the invited
    address (never shown on the page). Refused when `invitation_may_renew` says no, which also
    stops a second request while the first new link is still open."""
    if not invitation_may_renew(invitation):
        raise ValidationError(
            gettext(
                "A new link can't be sent from this one. Use the newest message you received, or "
                "ask your unit's coordinator."
            )
        )
    with transaction.atomic():
        new, _link_ = _new_invitation(
            user=invitation.user,
            agency=invitation.agency,
            membership=invitation.membership,
            email=invitation.email,
            role=invitation.role,
            invited_by=invitation.invited_by,
            base_url=base_url,
        )
        audit_self(
            invitation.user,
            AuditAction.INVITATION_RENEW,
            agency_id=invitation.agency_id,
            ip=ip,
            obj=invitation.membership,
            details={"by": "the invited person"},
        )
    return new


def invitation_accept(*, invitation: Invitation, password: str | None, ip: str | None = None):
    """Use a link: set the person's password (validated by the NIST rules in settings) and
    close the link. A person who already has a password (invited to a second agency) just
    closes it. Refused for a used, expired or replaced link, a deactivated membership or a
    suspended agency; the link works once even when two tabs submit at once."""
    refusal = invitation_refusal(invitation)
    if refusal:
        raise ValidationError(refusal)
    user = invitation.user
    needs_password = not user.has_usable_password()
    if needs_password:
        try:
            password_validation.validate_password(password or "", user)
        except ValidationError as exc:
            raise ValidationError({"new_password1": exc.messages}) from None
    with transaction.atomic():
        claimed = Invitation.objects.filter(
            pk=invitation.pk,
            used_at__isnull=True,
            revoked_at__isnull=True,
            expires_at__gt=timezone.now(),
        ).update(used_at=timezone.now())
        if not claimed:
            raise ValidationError(STATE_MESSAGES[InvitationState.USED])
        if needs_password:
            user.set_password(password)
            user.save(update_fields=["password"])
        audit_self(
            user,
            AuditAction.INVITATION_ACCEPT,
            agency_id=invitation.agency_id,
            ip=ip,
            obj=invitation.membership,
            details={"role": invitation.role, "password_set": needs_password},
        )
    invitation.refresh_from_db()
    return user


def operator_invite(*, email: str, invited_by: str, base_url: str = "") -> tuple[Invitation, str]:
    """Make an operator of the installation (is_staff, no agency): only a command or another
    operator calls this. An existing member of an agency may not also be an operator: the
    operator never reads cases."""
    email = _normal_email(email)
    User = get_user_model()
    with transaction.atomic():
        user = User.objects.filter(email__iexact=email).first()
        if (
            user is not None
            and Membership.objects.with_scopes_disabled().filter(user=user).exists()
        ):
            raise ValidationError(
                {
                    "email": gettext(
                        "This person is a member of an agency; an operator must use an "
                        "address of their own."
                    )
                }
            )
        if user is None:
            user = User(username=email, email=email, is_staff=True)
            user.set_unusable_password()
            user.save()
        elif not user.is_staff:
            user.is_staff = True
            user.save(update_fields=["is_staff"])
        invitation, link = _new_invitation(
            user=user,
            agency=None,
            membership=None,
            email=email,
            role=OPERATOR,
            invited_by=invited_by,
            base_url=base_url,
        )
        audit_record(
            actor=None,
            action=AuditAction.OPERATOR_INVITE,
            actor_label=invited_by,
            object_type="auth.user",
            object_id=user.pk,
        )
    return invitation, link
