"""The high-danger alert: email to the case's specialist and the on-call specialist (or, with
neither reachable, the supervisors), the same people a referral alerts.

Email is not a secure channel: the alert names the case number and holds a link, never the
victim, an answer or what the victim said.
"""

import logging

from haven.audit.models import AuditAction
from haven.audit.services import audit_record
from haven.cases import hooks
from haven.cases.notifications import Alert, case_link, on_call_text, referral_alert_recipients
from haven.core.actor import Actor
from haven.lethality.models import LethalityScreen

logger = logging.getLogger(__name__)


def lethality_alert(screen: LethalityScreen, *, site_url: str) -> Alert:
    case = screen.case
    recipients, fallback = referral_alert_recipients(case)
    holder = case.assigned_to.display_name if case.assigned_to else "nobody yet"
    lines = [
        f"A lethality screen on case {case.number} screened in: the victim is in high danger.",
        "",
        f"Case: {case.number}",
        "Priority: HIGH",
        f"Assigned to: {holder}",
        f"Screened by: {screen.get_by_role_display().lower()}",
        "",
        "Follow the protocol: make sure the victim is connected with the domestic violence "
        "hotline, and record whether they spoke with them.",
    ]
    if fallback:
        lines.append("Nobody on call could be alerted: please see that someone takes it.")
    lines += [
        "",
        f"Open the case in Haven: {case_link(case, site_url)}",
        "",
        "For the victim's safety this email holds no names or details: read them in Haven.",
    ]
    return Alert(
        subject=f"High danger: lethality screen on case {case.number}",
        body="\n".join(lines),
        recipients=recipients,
        fallback=fallback,
    )


def send_lethality_alert(*, screen_id: int, site_url: str = "") -> list[str]:
    """Queue the high-danger alert (email, and a text to the on-call specialist) in the
    staff-alert outbox, whose worker sends it with retries and makes a failure visible on the
    case; record it in the access log; returns the addresses. Runs in the worker, inside the
    screen's agency scope (lethality.tasks)."""
    screen = LethalityScreen.objects.select_related("case__agency", "case__assigned_to__user").get(
        pk=screen_id
    )
    alert = lethality_alert(screen, site_url=site_url)
    addresses = [member.user.email for member in alert.recipients]
    if not addresses:
        logger.warning("Lethality screen on %s: nobody to alert.", screen.case.number)
    texted, text = on_call_text(screen.case, "high-danger lethality screen")
    hooks.staff_alert(
        agency=screen.case.agency,
        kind="lethality_alert",
        case=screen.case,
        subject=alert.subject,
        body=alert.body,
        to_members=alert.recipients,
        sms_members=texted,
        sms_text=text,
        dedupe_key=f"lethality_alert:{screen.pk}",
    )
    audit_record(
        actor=Actor.system(screen.case.agency, "lethality alert"),
        action=AuditAction.LETHALITY_ALERT,
        obj=screen.case,
        details={
            "screen": screen.pk,
            "to": [member.pk for member in alert.recipients],
            "texted": [member.pk for member in texted],
            "fallback": alert.fallback,
        },
    )
    return addresses
