"""The second sign-in step: who needs it, and the paths open to someone who has not passed it."""

from django.conf import settings
from django.urls import reverse
from django_otp import user_has_device
from django_scopes import scopes_disabled

# Set by a sign-in through the agency's identity provider when its ID token says it checked
# several factors (amr holds "mfa", RFC 8176): that stands for the second step (haven.sso).
SSO_MFA_SESSION_KEY = "sso_mfa"


def needs_second_factor(request) -> bool:
    user = request.user
    # Without django-otp's middleware there is no is_verified: count that as not verified.
    verified = getattr(user, "is_verified", lambda: False)()
    if not user.is_authenticated or verified:
        return False
    if getattr(request, "session", {}).get(SSO_MFA_SESSION_KEY):
        return False
    return settings.REQUIRE_TWO_FACTOR or user_has_device(user) or _agency_requires(user)


def _agency_requires(user) -> bool:
    """Whether an agency the person works in requires the second step of everyone
    (Agency.require_two_factor, set on the Team page). Read before any scope exists."""
    with scopes_disabled():
        return user.memberships.filter(
            is_active=True, agency__is_active=True, agency__require_two_factor=True
        ).exists()


def open_before_second_factor(path: str) -> bool:
    """Only the second-factor pages (the code's and the passkey's, under its address),
    signing out, and static files."""
    return (
        path == reverse("logout")
        or path.startswith(reverse("two_factor"))
        or path.startswith("/" + settings.STATIC_URL.lstrip("/"))
    )
