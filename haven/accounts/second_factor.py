"""The second sign-in step's records: the authenticator app a user enrolls (django-otp's TOTP
device), and the access-log events of each attempt."""

from haven.agencies.selectors import active_membership_for
from haven.audit.models import AuditAction
from haven.audit.services import audit_record


def authenticator_for(user, *, enroll: bool = True):
    """(device, enrolling): the user's confirmed authenticator app, or a pending one to enroll
    (made once and kept, so the QR code stays the same across reloads); (None, False) when
    there is none and `enroll` is off (the person uses a passkey)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is not None or not enroll:
        return device, False
    device, _ = TOTPDevice.objects.get_or_create(
        user=user, confirmed=False, defaults={"name": "Authenticator app"}
    )
    return device, True


def authenticator_confirm(device) -> None:
    device.confirmed = True
    device.save(update_fields=["confirmed"])


def second_factor_record(*, user, outcome: str, ip: str | None, failed: bool = False) -> None:
    """A second-step attempt in the user's agency chain (the system chain without one)."""
    membership = active_membership_for(user)
    audit_record(
        actor=None,
        action=AuditAction.SIGN_IN_FAILED if failed else AuditAction.SIGN_IN,
        agency_id=membership.agency_id if membership else None,
        actor_label=user.get_username(),
        ip=ip,
        details={"second_factor": outcome},
    )
