"""Mail the accounts app sends: through the staff-alert outbox (notices/staff_alerts.py), in
the transaction that made its reason true, so the worker sends it with retries and a failure
is listed for the supervisors instead of lost (issue 17, item 5).

Email is not a secure channel: these messages carry a link and a role, never a case or a
victim. The password reset mail is the exception: Django sends it at once (the person is
waiting for it), and a mail server that refuses it is logged and answered with a clear
message (views.PasswordResetView), never an error page."""

from __future__ import annotations

import logging
import uuid

from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone

from haven.agencies.models import Agency
from haven.notices.staff_alerts import staff_alert_queue

logger = logging.getLogger(__name__)


def _send(agency: Agency | None, kind: str, subject: str, body: str, to: list[str]) -> None:
    to = [address for address in to if address]
    if not to:
        return
    if agency is None:  # an operator's invitation: no agency to queue it under; sent now
        try:
            send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, to)
        except OSError as exc:  # the mail server refused or is missing
            logger.warning("Mail %r to %d recipient(s) not sent: %s", subject, len(to), exc)
        return
    staff_alert_queue(
        agency=agency,
        kind=kind,
        subject=subject,
        body=body,
        to_addresses=to,
        dedupe_key=f"{kind}:{uuid.uuid4().hex}",
    )


def send_invitation(
    *, email: str, link: str, place: str, role_label: str, expires_at, tz, agency=None
) -> None:
    expires = timezone.localtime(expires_at, tz).strftime("%A %-d %B %Y at %H:%M %Z")
    body = (
        f"You have been invited to Haven as {role_label} of {place}.\n\n"
        f"Open this link to choose your password:\n{link}\n\n"
        f"The link works once and until {expires}. If it has expired, open it anyway: "
        "the page lets you ask for a new one.\n\n"
        "If you did not expect this message, you can ignore it.\n"
    )
    _send(agency, "invitation", f"Your Haven invitation: {place}", body, [email])


def send_member_left(
    *, to: list[str], member_name: str, by: str, agency: str, moved: list[str], tenant=None
) -> None:
    """`moved`: one sentence per kind of work handed over or left to the supervisors."""
    body = (
        f"{member_name} no longer has access to Haven for {agency}: {by} deactivated their "
        f"membership. {' '.join(moved)}\n\nSign in to Haven to see the queue, the caseloads "
        "and the on-call roster.\n"
    )
    _send(tenant, "member_left", f"Haven: {member_name} was deactivated", body, to)
