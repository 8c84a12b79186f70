"""Writes of the accounts app: invitations, the team (roles, deactivation), two-step sign-in
and the audit of password changes. Every function is keyword-only, atomic and audited; the
ones a coordinator calls check `agency.configure` themselves.

The contract single sign-on relies on (docs/team.md): an invitation creates the person's
`User` (username and email the invited address, lower-cased; password unusable until they set
one) and an active `Membership` in the agency, at once.
"""

from __future__ import annotations

import zoneinfo
from dataclasses import dataclass
from datetime import timedelta
from importlib import import_module

from django.conf import settings
from django.contrib.auth import SESSION_KEY, get_user_model, password_validation
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from haven.accounts import emails
from haven.accounts.models import (
    INVITATION_VALID,
    OPERATOR,
    Invitation,
    InvitationState,
    PasskeyDevice,
)
from haven.accounts.selectors import active_coordinators, memberships_of
from haven.agencies.models import Agency, District, Membership
from haven.agencies.roles import CASEWORKER_ROLES, Perm, Role
from haven.audit.models import AuditAction
from haven.audit.services import audit_record
from haven.core.actor import Actor
from haven.lib.tokens import new_token

RECOVERY_CODE_COUNT = 10
# Requests for a reset mail: from one address, and for one account, per hour. Past either,
# the page answers the same and nothing is sent (counted in the access log, so it holds across
# servers).
RESET_LIMIT_PER_IP = 5
RESET_LIMIT_PER_USER = 3
RESET_WINDOW = timedelta(hours=1)

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


def _audit_user(user, action, *, agency_id=None, ip=None, obj=None, details=None):
    """An event about a person acting for themselves before or outside an agency's session."""
    if agency_id is None:
        memberships = memberships_of(user)
        agency_id = memberships[0].agency_id if memberships else None
    audit_record(
        actor=None,
        action=action,
        agency_id=agency_id,
        actor_label=user.get_username(),
        ip=ip,
        obj=obj,
        details=details,
    )


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
    User = get_user_model()
    with transaction.atomic():
        user = (
            User.objects.filter(email__iexact=email).first()
            or User.objects.filter(username__iexact=email).first()
        )
        if user is not None:
            existing = Membership.objects.filter(agency=actor.agency, user=user).first()
            if existing is not None:
                raise ValidationError(
                    {
                        "email": f"{email} is already on the team."
                        if existing.is_active
                        else f"{email} was deactivated: reactivate them on the Team page instead."
                    }
                )
        else:
            user = User(username=email, email=email)
            user.set_unusable_password()
            user.save()
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
        _audit_user(
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
        _audit_user(
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


def _lock_coordinators(agency: Agency) -> list[Membership]:
    """The agency's active coordinators, locked until commit (two coordinators demoting each
    other at once queue here, and the second is refused)."""
    return list(active_coordinators(agency).select_for_update())


def _refuse_last_coordinator(agency: Agency, member: Membership, doing: str) -> None:
    if member.role != Role.COORDINATOR or not member.is_active:
        return
    others = [m for m in _lock_coordinators(agency) if m.pk != member.pk]
    if not others:
        raise ValidationError(
            f"{member.display_name} is the agency's last coordinator: you can't {doing} them. "
            "Make someone else coordinator first."
        )


def member_role_change(*, actor: Actor, member: Membership, role: str) -> Membership:
    """Give a member another role. Refused: a role that is not an agency role, demoting the
    last active coordinator, and taking the caseload role from someone with open cases (move
    them first, or deactivate, which moves them)."""
    from haven.cases.models import OPEN_STATUSES, Case

    actor.require(Perm.AGENCY_CONFIGURE)
    actor.require_own(member)
    if role not in Role.values:
        raise ValidationError(
            {"role": gettext("You may not grant that role: choose one of the agency's roles.")}
        )
    if not member.is_active:
        raise ValidationError(gettext("Reactivate this member before changing their role."))
    if member.role == role:
        return member
    with transaction.atomic():
        if role != Role.COORDINATOR:
            _refuse_last_coordinator(actor.agency, member, "demote")
        if role not in CASEWORKER_ROLES:
            open_cases = Case.objects.filter(
                agency=actor.agency, assigned_to=member, status__in=OPEN_STATUSES
            ).count()
            if open_cases:
                raise ValidationError(
                    {
                        "role": f"{member.display_name} has {open_cases} open case(s): reassign "
                        "them before giving a role without a caseload."
                    }
                )
        before = member.role
        member.role = role
        member.save(update_fields=["role"])
        audit_record(
            actor=actor,
            action=AuditAction.MEMBER_ROLE,
            obj=member,
            details={"before": before, "after": role},
        )
    return member


def sessions_end(*, user_id: int, agency_id: int | None = None) -> int:
    """Delete the person's signed-in sessions (those working in `agency_id`, or all), so they
    are signed out at their next click. Stores that cannot be listed (cache only) rely on
    ActorMiddleware, which refuses a session whose membership is no longer active."""
    store_class = import_module(settings.SESSION_ENGINE).SessionStore
    if not hasattr(store_class, "get_model_class"):
        return 0
    model = store_class.get_model_class()
    ended = 0
    for row in model.objects.filter(expire_date__gt=timezone.now()).iterator():
        data = store_class().decode(row.session_data)
        if data.get(SESSION_KEY) != str(user_id):
            continue
        if agency_id is not None and data.get("agency_id") not in (None, agency_id):
            continue
        store_class(session_key=row.session_key).delete()
        ended += 1
    return ended


@dataclass(frozen=True)
class Departure:
    """What a deactivation moved, for the page and the supervisors' mail."""

    member: Membership
    to: Membership | None
    cases: int = 0
    followups: int = 0
    shifts_moved: int = 0
    shifts_dropped: int = 0
    slots_moved: int = 0
    slots_dropped: int = 0

    def sentences(self) -> list[str]:
        to = self.to.display_name if self.to else None
        said = []
        if self.cases:
            said.append(f"{self.cases} open case(s) went to {to or 'the unassigned queue'}.")
        if self.followups:
            said.append(
                f"{self.followups} pending follow-up(s) went to {to or 'whoever holds each case'}."
            )
        if self.shifts_moved or self.slots_moved:
            said.append(
                f"{self.shifts_moved} on-call shift(s) and {self.slots_moved} weekly slot(s) "
                f"went to {to}."
            )
        if self.shifts_dropped or self.slots_dropped:
            said.append(
                f"{self.shifts_dropped} on-call shift(s) and {self.slots_dropped} weekly slot(s) "
                "came off the roster: a supervisor must fill them (Team > On call)."
            )
        return said or ["They had no open cases, follow-ups or on-call shifts."]


def member_deactivate(
    *, actor: Actor, member: Membership, cases_to: Membership | None = None
) -> Departure:
    """A member leaves: their membership stops working (their sessions in this agency end at
    once), the API tokens they made are revoked, and their work goes to `cases_to` (a
    colleague): open cases, the pending follow-ups given to them by name, their on-call shifts
    that have not ended and their weekly pattern slots. With nobody chosen, cases go to the
    unassigned queue, follow-ups back to whoever holds each case, and the shifts and slots
    come off the roster for a supervisor to fill. The supervisors are told by mail what moved
    and what is left to them; the returned Departure says the same for the page.

    Refused: yourself, the last active coordinator, a member already inactive, and a
    `cases_to` who is not another active caseworker of the agency.
    """
    from haven.cases.models import OPEN_STATUSES, Case
    from haven.cases.services import case_assign
    from haven.followup.services import followups_hand_over
    from haven.integrations.models import ApiToken
    from haven.oncall.services import roster_hand_over

    actor.require(Perm.AGENCY_CONFIGURE)
    actor.require_own(member)
    if not member.is_active:
        raise ValidationError(gettext("This member is already deactivated."))
    if actor.membership is not None and actor.membership.pk == member.pk:
        raise ValidationError(gettext("You can't deactivate yourself: ask another coordinator."))
    if cases_to is not None and (
        cases_to.agency_id != actor.agency.pk
        or cases_to.pk == member.pk
        or not cases_to.is_active
        or cases_to.role not in CASEWORKER_ROLES
    ):
        raise ValidationError(
            {"cases_to": gettext("Choose an active colleague who carries a caseload.")}
        )
    now = timezone.now()
    with transaction.atomic():
        _refuse_last_coordinator(actor.agency, member, "deactivate")
        claimed = Membership.objects.filter(pk=member.pk, is_active=True).update(is_active=False)
        if not claimed:
            raise ValidationError(gettext("This member is already deactivated."))
        member.is_active = False
        reason = f"{member.display_name} was deactivated"
        moved = 0
        for case in Case.objects.filter(
            agency=actor.agency, assigned_to=member, status__in=OPEN_STATUSES
        ).select_related("assigned_to__user"):
            case_assign(actor=actor, case=case, assignee=cases_to, reason=reason[:200])
            moved += 1
        followups = followups_hand_over(actor=actor, member=member, to=cases_to, reason=reason)
        roster = roster_hand_over(actor=actor, member=member, to=cases_to, reason=reason)
        departure = Departure(
            member=member,
            to=cases_to,
            cases=moved,
            followups=followups,
            shifts_moved=roster.shifts_moved,
            shifts_dropped=roster.shifts_dropped,
            slots_moved=roster.slots_moved,
            slots_dropped=roster.slots_dropped,
        )
        tokens = ApiToken.objects.filter(
            agency=actor.agency, created_by=member, revoked_at__isnull=True
        ).update(revoked_at=now, revoked_by=actor.membership)
        Agency.objects.filter(pk=actor.agency.pk, on_call=member).update(on_call=None)
        Invitation.objects.filter(
            membership=member, used_at__isnull=True, revoked_at__isnull=True
        ).update(revoked_at=now)
        ended = sessions_end(user_id=member.user_id, agency_id=actor.agency.pk)
        audit_record(
            actor=actor,
            action=AuditAction.MEMBER_DEACTIVATE,
            obj=member,
            details={
                "cases_moved": moved,
                "cases_to": cases_to.pk if cases_to else None,
                "followups_moved": followups,
                "shifts_moved": roster.shifts_moved,
                "shifts_dropped": roster.shifts_dropped,
                "slots_moved": roster.slots_moved,
                "slots_dropped": roster.slots_dropped,
                "tokens_revoked": tokens,
                "sessions_ended": ended,
            },
        )
        supervisors = [
            m.user.email
            for m in Membership.objects.filter(
                agency=actor.agency, is_active=True, role=Role.SUPERVISOR
            ).select_related("user")
        ]
        transaction.on_commit(
            lambda: emails.send_member_left(
                to=supervisors,
                member_name=member.display_name,
                by=actor.membership.display_name if actor.membership else actor.label,
                agency=actor.agency.name,
                moved=departure.sentences(),
                tenant=actor.agency,
            ),
            robust=True,
        )
    return departure


def member_reactivate(*, actor: Actor, member: Membership) -> Membership:
    """Let a deactivated member back in, with the role they had. Cases are not given back."""
    actor.require(Perm.AGENCY_CONFIGURE)
    actor.require_own(member)
    with transaction.atomic():
        if not Membership.objects.filter(pk=member.pk, is_active=False).update(is_active=True):
            raise ValidationError(gettext("This member is already active."))
        member.is_active = True
        audit_record(actor=actor, action=AuditAction.MEMBER_REACTIVATE, obj=member)
    return member


def member_district_set(
    *, actor: Actor, member: Membership, district: District | None
) -> Membership:
    """The district a member serves: the agencies app's own service, which audits it."""
    from haven.agencies.services import membership_set_district

    return membership_set_district(actor=actor, member=member, district=district)


def agency_two_factor_require(*, actor: Actor, required: bool) -> Agency:
    """Require two-step sign-in of everyone in the agency (each enrolls at their next sign-in)."""
    actor.require(Perm.AGENCY_CONFIGURE)
    with transaction.atomic():
        if (
            not Agency.objects.filter(pk=actor.agency.pk)
            .exclude(require_two_factor=required)
            .update(require_two_factor=required)
        ):
            return actor.agency
        actor.agency.require_two_factor = required
        audit_record(
            actor=actor,
            action=AuditAction.TWO_FACTOR_REQUIRE,
            obj=actor.agency,
            details={"required": required},
        )
    return actor.agency


def member_two_factor_reset(*, actor: Actor, member: Membership, password: str) -> int:
    """A member lost their phone: remove their authenticator app and recovery codes, so they
    enroll again at their next sign-in. The coordinator re-enters their own password first.
    Refused without agency.configure, for another agency's member, for a command (no password
    to re-enter), and for a wrong password (audited as a failure)."""
    actor.require(Perm.AGENCY_CONFIGURE)
    actor.require_own(member)
    if actor.membership is None:
        raise PermissionDenied("A coordinator resets a member's two-step sign-in.")
    if not actor.membership.user.check_password(password or ""):
        audit_record(
            actor=actor,
            action=AuditAction.TWO_FACTOR_RESET,
            obj=member,
            details={"refused": "wrong password"},
        )
        raise ValidationError({"password": gettext("That is not your password.")})
    with transaction.atomic():
        removed = TOTPDevice.objects.filter(user=member.user).delete()[0]
        removed += StaticDevice.objects.filter(user=member.user).delete()[0]
        removed += PasskeyDevice.objects.filter(user=member.user).delete()[0]
        audit_record(
            actor=actor,
            action=AuditAction.TWO_FACTOR_RESET,
            obj=member,
            details={"removed": removed},
        )
    return removed


def recovery_codes_make(*, user, ip: str | None = None) -> list[str]:
    """New single-use recovery codes for the person's second step (django-otp static tokens),
    replacing any old ones. Shown once: only django-otp's row keeps them. Refused until the
    person has an authenticator app or a passkey (codes alone would become their second step)."""
    if not (
        TOTPDevice.objects.filter(user=user, confirmed=True).exists()
        or PasskeyDevice.objects.filter(user=user).exists()
    ):
        raise ValidationError(
            gettext("Turn on two-step sign-in with an authenticator app or a passkey first.")
        )
    with transaction.atomic():
        device, _ = StaticDevice.objects.get_or_create(
            user=user, defaults={"name": "Recovery codes", "confirmed": True}
        )
        device.token_set.all().delete()
        codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
        StaticToken.objects.bulk_create(StaticToken(device=device, token=c) for c in codes)
        _audit_user(user, AuditAction.RECOVERY_CODES, ip=ip, details={"count": len(codes)})
    return codes


def password_change_record(*, user, ip: str | None = None) -> None:
    """Audit a password changed on the password page (Django's view changed it)."""
    with transaction.atomic():
        _audit_user(user, AuditAction.PASSWORD_CHANGE, ip=ip)


def password_reset_allowed(*, user, ip: str | None) -> bool:
    """Whether another reset mail may go out now (RESET_LIMIT_PER_IP, RESET_LIMIT_PER_USER)."""
    from haven.audit.models import AuditEvent

    since = timezone.now() - RESET_WINDOW
    recent = AuditEvent.objects.filter(
        action=AuditAction.PASSWORD_RESET_REQUEST, at__gte=since, details__sent=True
    )
    if ip and recent.filter(ip=ip).count() >= RESET_LIMIT_PER_IP:
        return False
    return not (
        user is not None
        and recent.filter(object_type="auth.user", object_id=str(user.pk)).count()
        >= RESET_LIMIT_PER_USER
    )


def password_reset_record(*, user, ip: str | None, sent: bool) -> None:
    """Audit a request for a reset mail (whether or not the address is known: `user` None)."""
    with transaction.atomic():
        audit_record(
            actor=None,
            action=AuditAction.PASSWORD_RESET_REQUEST,
            agency_id=(
                memberships_of(user)[0].agency_id if user and memberships_of(user) else None
            ),
            actor_label=user.get_username() if user else "unknown address",
            ip=ip,
            object_type="auth.user" if user else "",
            object_id=user.pk if user else "",
            details={"sent": sent},
        )


def password_reset_done_record(*, user, ip: str | None) -> None:
    with transaction.atomic():
        _audit_user(user, AuditAction.PASSWORD_RESET, ip=ip)


def member_language_set(*, actor: Actor, language: str) -> None:
    """The language of the person's screens, on each of their memberships (one person, one
    language, whichever agency they work in). Audited with the old and new codes."""
    if language not in dict(settings.LANGUAGES):
        raise ValidationError(_("Choose one of the languages offered."))
    with transaction.atomic():
        mine = Membership.objects.with_scopes_disabled().filter(user_id=actor.membership.user_id)
        previous = actor.membership.language or settings.LANGUAGE_CODE
        mine.update(language=language)
        actor.membership.language = language
        audit_record(
            actor=actor,
            action=AuditAction.LANGUAGE_CHANGE,
            obj=actor.membership,
            details={"from": previous, "to": language},
        )
