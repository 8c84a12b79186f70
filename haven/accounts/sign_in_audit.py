"""Sign-ins, sign-outs and failed attempts go to the access log.

Django's auth sends these signals from its own views; this module is the one place that turns
them into audit events.

It is imported in every process (accounts/apps.py connects the receivers); sign-ins happen only
in the web server, so the audit services, the middleware and the second factor are imported by
the first receiver called, not by a command's set-up (docs/performance.md, "Commands").
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from haven.audit.models import AuditAction

if TYPE_CHECKING:
    from haven.core.actor import Actor


def _actor(request, user) -> Actor | None:
    from haven.agencies.selectors import active_membership_for
    from haven.core.actor import Actor
    from haven.core.middleware import client_ip

    membership = active_membership_for(user) if user is not None else None
    if membership is None or request is None:
        return None
    return Actor.for_membership(
        membership, ip=client_ip(request), user_agent=request.META.get("HTTP_USER_AGENT", "")
    )


def _record(action, request, user, *, attempted_username: str = ""):
    """In the user's agency chain when we know the user, else in the system chain."""
    from haven.audit.services import audit_record
    from haven.core.middleware import client_ip

    actor = _actor(request, user)
    if actor is not None:
        audit_record(actor=actor, action=action)
        return
    audit_record(
        actor=None,
        action=action,
        actor_label=(user.get_username() if user else attempted_username)[:150],
        ip=client_ip(request) if request is not None else None,
    )


@receiver(user_logged_in)
def on_sign_in(sender, request, user, **kwargs):
    _record(AuditAction.SIGN_IN, request, user)


@receiver(user_logged_out)
def on_sign_out(sender, request, user, **kwargs):
    if user is not None:
        _record(AuditAction.SIGN_OUT, request, user)


@receiver(user_login_failed)
def on_sign_in_failed(sender, credentials, request=None, **kwargs):
    username = str(credentials.get("username", ""))
    user = get_user_model().objects.filter(username=username).first()
    _record(AuditAction.SIGN_IN_FAILED, request, user, attempted_username=username)


@receiver(user_logged_in, dispatch_uid="haven.accounts.session_touched")
def _start_the_idle_minute(sender, request, user, **kwargs):
    # Signing in saves the session: the first request after it has no reason to write it again.
    from haven.accounts.middleware import session_touched

    if request is not None and hasattr(request, "session"):
        session_touched(request.session)


@receiver(user_logged_in, dispatch_uid="haven.accounts.second_factor_checked")
def _check_the_second_factor(sender, request, user, **kwargs):
    # Checked once now, with the same minute as the session's: the pages after it need not.
    from haven.core.two_factor import check_and_remember

    if request is not None and hasattr(request, "session"):
        check_and_remember(request.session, user)
