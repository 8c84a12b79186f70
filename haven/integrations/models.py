"""Agency API tokens: how a records system pushes its nightly export without a person's session.

A token belongs to one agency and may do exactly INTEGRATION_PERMISSIONS (push exports). Only a
SHA-256 digest of its secret is stored: the secret is shown once, when the token is made, and
cannot be read back from the database, a backup or the access log.
"""

from django.db import models
from django.utils import timezone

from haven.agencies.roles import INTEGRATION_PERMISSIONS, Perm
from haven.core.models import TenantModel

# Every secret starts with this, so a leaked one is recognizable (secret scanners, logs).
SECRET_PREFIX = "hvn_"
# How much of the secret is kept in clear to tell tokens apart on the page: the prefix and 8
# more characters of about 43 random ones (32 random bytes).
DISPLAY_LENGTH = len(SECRET_PREFIX) + 8


class ApiToken(TenantModel):
    """One system's credential for the agency's API (haven.integrations.authentication)."""

    # What uses it: "RMS nightly export (Versaterm)".
    name = models.CharField(max_length=100)
    # The first characters of the secret, to recognize it ("hvn_Ab12Cd34…").
    prefix = models.CharField(max_length=DISPLAY_LENGTH)
    digest = models.CharField(max_length=64, unique=True)
    # None when a command made it (the system actor).
    created_by = models.ForeignKey(
        "agencies.Membership", null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    last_used_ip = models.GenericIPAddressField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        "agencies.Membership", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    @property
    def permissions(self) -> list[Perm]:
        """Fixed: a token never holds more than a records system needs."""
        return sorted(INTEGRATION_PERMISSIONS)

    @property
    def actor_label(self) -> str:
        """How the access log and the import log name this token's pushes."""
        return f"API token {self.prefix}… ({self.name})"[:150]
