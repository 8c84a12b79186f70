"""Single sign-on per agency: its OpenID Connect provider, and who has signed in through it.

SSO never creates a user or a membership: a person signs in through their agency's provider only
to a membership the agency already gave them, matched by a verified email (see services.py).
"""

from django.conf import settings
from django.db import models

from haven.core.models import TenantModel
from haven.core.versions import Versioned
from haven.lib.crypto import EncryptedTextField


class IdentityProvider(TenantModel, Versioned):
    """The agency's OpenID Connect provider (Entra ID, Okta, Google ...). One per agency."""

    # The issuer identifier: discovery is read from <issuer>/.well-known/openid-configuration,
    # and every ID token must name exactly this issuer.
    issuer = models.URLField(max_length=500)
    client_id = models.CharField(max_length=255)
    client_secret = EncryptedTextField(blank=True)
    # Off: the provider is kept but nobody signs in through it (the sign-in page hides it).
    enabled = models.BooleanField(default=False)
    # Off: the agency's members may not sign in with a Haven password, only through the
    # provider. Allowed only while the provider is enabled (services refuse otherwise).
    allow_local_passwords = models.BooleanField(default=True)
    # Email domains (comma-separated, lower case) whose people the sign-in page sends here.
    email_domains = models.CharField(max_length=500, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agency"], name="sso_provider_per_agency")]

    def __str__(self) -> str:
        return f"{self.issuer} for agency {self.agency_id}"

    @property
    def domains(self) -> list[str]:
        return [d for d in (p.strip().lower() for p in self.email_domains.split(",")) if d]


class SsoIdentity(TenantModel):
    """A user's subject at their agency's provider, bound at their first SSO sign-in.

    Later sign-ins match on (issuer, subject) before email, so a mailbox renamed or reassigned
    at the provider cannot take over another member's account.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sso_identities"
    )
    issuer = models.URLField(max_length=500)
    subject = models.CharField(max_length=255)
    created_at = models.DateTimeField(auto_now_add=True)
    last_sign_in_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "issuer", "subject"], name="sso_identity_subject_unique"
            ),
            models.UniqueConstraint(fields=["agency", "user"], name="sso_identity_user_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.subject} at {self.issuer}"
