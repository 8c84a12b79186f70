"""The email that asks the on-call specialist to come. Like the referral alert
(haven/cases/notifications.py), whose recipients it shares (the on-call specialist and the
case's specialist; with neither reachable, the supervisors), it says where to look, never who
the victim is or what happened: the case number, the kind of place, a link."""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse

from haven.audit.models import AuditAction
from haven.audit.services import audit_record
from haven.cases.notifications import referral_alert_recipients
from haven.core.actor import Actor
from haven.crisis.models import CallOut

logger = logging.getLogger(__name__)


def callout_alert_text(callout: CallOut, site_url: str, fallback: bool) -> tuple[str, str]:
    path = reverse("crisis:detail", args=[callout.pk])
    link = f"{site_url.rstrip('/')}{path}" if site_url else path
    subject = (
        f"Specialist requested {callout.get_place_display().lower()}: case {callout.case.number}"
    )
    lines = [
        f"{callout.get_requested_by_display()} asks for a victim specialist to come.",
        "",
        f"Where: {callout.get_place_display()} (the address is in Haven)",
        f"Case: {callout.case.number}",
    ]
    if fallback:
        lines.append("Nobody on call could be alerted: please see that someone goes.")
    lines += [
        "",
        f"Open the call-out in Haven, and press Dispatched when you leave: {link}",
        "",
        "For the victim's safety this email holds no names or details: read them in Haven.",
    ]
    return subject, "\n".join(lines)


def send_callout_alert(*, callout_id: int, site_url: str = "") -> list[str]:
    """Email the alert and record it in the access log; returns the addresses mailed. Runs in
    the worker, in the call-out's agency scope (crisis.tasks)."""
    callout = CallOut.objects.select_related("agency", "case__assigned_to__user").get(pk=callout_id)
    recipients, fallback = referral_alert_recipients(callout.case)
    addresses = [member.user.email for member in recipients]
    subject, body = callout_alert_text(callout, site_url, fallback)
    if addresses:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, addresses, fail_silently=False)
    else:
        logger.warning("Call-out %s: nobody with an email address to alert.", callout.pk)
    audit_record(
        actor=Actor.system(callout.agency, "call-out alert"),
        action=AuditAction.CALLOUT_ALERT,
        obj=callout,
        details={"to": [member.pk for member in recipients], "fallback": fallback},
    )
    return addresses
