"""Invitations: the one-time, expiring link a new member (or operator) opens to set a password.

The person's `User` and `Membership` exist from the moment they are invited (the membership
active, the password unusable), so a coordinator can give them a district or cases, and single
sign-on (haven.sso) can match them by email. The link only lets them choose a password. Only
the digest of the link's secret is stored.
"""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device

INVITATION_VALID = timedelta(hours=72)
# The role an operator invitation grants (not an agency role: operators have no membership).
OPERATOR = "operator"


class InvitationState(models.TextChoices):
    # Not used, not expired: the link sets a password.
    OPEN = "open", _("Open")
    # The person set their password through it; it opens nothing any more.
    USED = "used", _("Used")
    # 72 hours passed unused; the person may ask for a new one.
    EXPIRED = "expired", _("Expired")
    # A newer link replaced it, or the membership was deactivated.
    REVOKED = "revoked", _("Replaced or withdrawn")


class Invitation(models.Model):
    """One link sent to one address. Not a TenantModel: it is opened before anyone is signed
    in, and operator invitations have no agency; every query filters by agency itself."""

    agency = models.ForeignKey(
        "agencies.Agency", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    membership = models.ForeignKey(
        "agencies.Membership",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="invitations",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField()
    # An agency role (agencies.roles.Role) or OPERATOR.
    role = models.CharField(max_length=20)
    digest = models.CharField(max_length=64, unique=True)
    # Who sent it: a member's user name, "operator <name>" or the command.
    invited_by = models.CharField(max_length=150)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["membership", "-created_at"])]

    def __str__(self) -> str:
        return f"invitation of {self.email} ({self.role})"

    @property
    def state(self) -> str:
        if self.used_at is not None:
            return InvitationState.USED
        if self.revoked_at is not None:
            return InvitationState.REVOKED
        if self.expires_at <= timezone.now():
            return InvitationState.EXPIRED
        return InvitationState.OPEN

    @property
    def state_label(self) -> str:
        return InvitationState(self.state).label.lower()


class PasskeyDevice(Device):
    """A passkey (WebAuthn credential) as a second sign-in step, beside the authenticator app.

    A django-otp device, so the rest of Haven (the second-step requirement, `is_verified`, the
    coordinator's device reset) treats it like any other. Only the public key is stored."""

    credential_id = models.CharField(max_length=1400, unique=True)  # base64url
    public_key = models.BinaryField()
    sign_count = models.PositiveBigIntegerField(default=0)
    transports = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at"]

    def verify_token(self, token):
        return False  # a passkey answers a challenge (haven.accounts.passkeys), never a code
