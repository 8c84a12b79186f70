"""Two-step sign-in (required by the agency, reset by a coordinator, recovery codes) and the audit
of password changes and reset mails."""

from __future__ import annotations

from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from haven.accounts.models import PasskeyDevice
from haven.accounts.selectors import memberships_of
from haven.accounts.services.audit_self import audit_self
from haven.agencies.models import Agency, Membership
from haven.agencies.roles import Perm
from haven.audit.models import AuditAction
from haven.audit.services import audit_record
from haven.core.actor import Actor

RECOVERY_CODE_COUNT = 10
# Requests for a reset mail: from one address, and for one account, per hour. Past either,
# the page answers the same and nothing is sent (counted in the access log, so it holds across
# servers).
RESET_LIMIT_PER_IP = 5
RESET_LIMIT_PER_USER = 3
RESET_WINDOW = timedelta(hours=1)


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
        audit_self(user, AuditAction.RECOVERY_CODES, ip=ip, details={"count": len(codes)})
    return codes


def password_change_record(*, user, ip: str | None = None) -> None:
    """Audit a password changed on the password page (Django's view changed it)."""
    with transaction.atomic():
        audit_self(user, AuditAction.PASSWORD_CHANGE, ip=ip)


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
        audit_self(user, AuditAction.PASSWORD_RESET, ip=ip)
