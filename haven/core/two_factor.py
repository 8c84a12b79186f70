"""The second sign-in step: who needs it, and the paths open to someone who has not passed it."""

import time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Exists
from django.urls import reverse
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
    session = getattr(request, "session", {})
    if session.get(SSO_MFA_SESSION_KEY):
        return False
    if settings.REQUIRE_TWO_FACTOR:
        return True
    if _known_free(session, user):
        return False
    return not check_and_remember(session, user)


def check_and_remember(session, user) -> bool:
    """Whether the user is free of the second step (no device, no agency requiring it), kept in
    the session when so. A sign-in calls it, so the first minute's pages need no check."""
    free = not _has_device_or_agency_requires(user)
    if free and hasattr(session, "modified"):
        session[FREE_SESSION_KEY] = [user.pk, int(time.time())]
    return free


# "This user has no second-factor device and no agency of theirs requires one", as last checked
# by this session: [user id, when]. It spares every page the check's query. Only this negative
# answer is kept, and for FREE_SECONDS at most: a device enrolled in this session verifies the
# session at once (the answer is then never read), a device removed only makes it truer, and a
# requirement turned on or a device enrolled elsewhere holds from the next minute.
FREE_SESSION_KEY = "_2fa_free"
FREE_SECONDS = 60


def _known_free(session, user) -> bool:
    checked = session.get(FREE_SESSION_KEY)
    if not checked or checked[0] != user.pk:
        return False
    return 0 <= time.time() - checked[1] < FREE_SECONDS


def _has_device_or_agency_requires(user) -> bool:
    """Whether the user has a confirmed device of any kind (django-otp's, a passkey) or an
    agency they work in requires the second step of everyone (Agency.require_two_factor, set
    on the Team page): one query. Read before any scope exists."""
    with scopes_disabled():
        checks = [Exists(devices) for devices in _device_querysets(user)]
        checks.append(
            Exists(
                user.memberships.filter(
                    is_active=True, agency__is_active=True, agency__require_two_factor=True
                )
            )
        )
        named = {f"check_{i}": check for i, check in enumerate(checks)}
        row = get_user_model()._base_manager.filter(pk=user.pk).values(**named).first()
    return row is None or any(row.values())


def _device_querysets(user):
    """Each device model's confirmed devices of the user, unevaluated (django-otp's
    devices_for_user evaluates them one query each)."""
    from django_otp import device_classes

    for model in device_classes():
        yield model.objects.devices_for_user(user, confirmed=True)


def open_before_second_factor(path: str) -> bool:
    """Only the second-factor pages (the code's and the passkey's, under its address),
    signing out, and static files."""
    return (
        path == reverse("logout")
        or path.startswith(reverse("two_factor"))
        or path.startswith("/" + settings.STATIC_URL.lstrip("/"))
    )
