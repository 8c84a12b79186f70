"""Mail the accounts app sends, always after the commit that made its reason true.

Email is not a secure channel: these messages carry a link and a role, never a case or a
victim. A mail server that refuses is logged and does not undo the change (the coordinator
can send the link again from the Team page, and the command prints it)."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone

logger = logging.getLogger(__name__)


def _send(subject: str, body: str, to: list[str]) -> None:
    to = [address for address in to if address]
    if not to:
        return
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, to)
    except OSError as exc:  # the mail server refused or is missing
        logger.warning("Mail %r to %d recipient(s) not sent: %s", subject, len(to), exc)


def send_invitation(*, email: str, link: str, place: str, role_label: str, expires_at, tz) -> None:
    expires = timezone.localtime(expires_at, tz).strftime("%A %-d %B %Y at %H:%M %Z")
    body = (
        f"You have been invited to Haven as {role_label} of {place}.\n\n"
        f"Open this link to choose your password:\n{link}\n\n"
        f"The link works once and until {expires}. If it has expired, open it anyway: "
        "the page lets you ask for a new one.\n\n"
        "If you did not expect this message, you can ignore it.\n"
    )
    _send(f"Your Haven invitation: {place}", body, [email])


def send_member_left(
    *, to: list[str], member_name: str, by: str, agency: str, moved: list[str]
) -> None:
    """`moved`: one sentence per kind of work handed over or left to the supervisors."""
    body = (
        f"{member_name} no longer has access to Haven for {agency}: {by} deactivated their "
        f"membership. {' '.join(moved)}\n\nSign in to Haven to see the queue, the caseloads "
        "and the on-call roster.\n"
    )
    _send(f"Haven: {member_name} was deactivated", body, to)
