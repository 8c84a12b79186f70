"""Email alerts to staff about cases.

Email is not a secure channel: an alert says that there is something to look at and where,
never who the victim is or what happened. The case number, its priority and a link are all it
holds; the specialist signs in to read the rest.
"""

import logging
from dataclasses import dataclass

from django.urls import reverse

from haven.agencies.models import Membership
from haven.agencies.roles import Role
from haven.audit.models import AuditAction
from haven.audit.services import audit_record
from haven.cases import hooks
from haven.cases.models import Case, Priority
from haven.core.actor import Actor

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Alert:
    subject: str
    body: str
    recipients: list[Membership]
    # True when nobody on call or assigned could be reached and the supervisors were told.
    fallback: bool


def referral_alert_recipients(case: Case) -> tuple[list[Membership], bool]:
    """The on-call specialist and the case's specialist (one person, usually), as they are when
    the alert goes out. With neither reachable by email, the agency's active supervisors and
    coordinators, so a referral never waits unseen; the flag says the fallback was used."""
    people = {}
    for member in (hooks.on_call_member(case.agency), case.assigned_to):
        if member is not None and member.is_active and member.user.email:
            people[member.pk] = member
    if people:
        return list(people.values()), False
    leads = (
        Membership.objects.filter(
            agency=case.agency,
            is_active=True,
            role__in=[Role.SUPERVISOR, Role.COORDINATOR],
        )
        .exclude(user__email="")
        .select_related("user")
        .order_by("pk")
    )
    return list(leads), True


def case_link(case: Case, site_url: str) -> str:
    path = reverse("cases:detail", args=[case.pk])
    return f"{site_url.rstrip('/')}{path}" if site_url else path


def referral_alert(case: Case, *, site_url: str) -> Alert:
    """The alert's text: the case number, its priority, who holds it, a link. No victim's
    name, no report number, no victimization, nothing from the officer's note."""
    high = case.priority == Priority.HIGH
    recipients, fallback = referral_alert_recipients(case)
    subject = f"New officer referral: case {case.number}, {'HIGH' if high else 'normal'} priority"
    holder = case.assigned_to.display_name if case.assigned_to else "nobody yet"
    lines = [
        "An officer referred a victim to victim services from the scene.",
        "",
        f"Case: {case.number}",
        "Priority: " + ("HIGH" if high else "normal"),
        f"Assigned to: {holder}",
    ]
    if fallback:
        lines.append("Nobody on call could be alerted: please see that someone takes it.")
    lines += [
        "",
        f"Open the case in Haven: {case_link(case, site_url)}",
        "",
        "For the victim's safety this email holds no names or details: read them in Haven.",
    ]
    return Alert(subject=subject, body="\n".join(lines), recipients=recipients, fallback=fallback)


def on_call_text(case: Case, what: str) -> tuple[list[Membership], str]:
    """The text to the on-call specialist (often away from email): the case number and the
    priority, never a name. Nobody on call with a phone: no text (the email still goes)."""
    member = hooks.on_call_member(case.agency)
    if member is None or not member.is_active or not member.phone:
        return [], ""
    high = "HIGH priority " if case.priority == Priority.HIGH else ""
    return [member], f"Haven: {what}, {high}case {case.number}. Open Haven for the details."


def send_referral_alert(*, case_id: int, site_url: str = "") -> list[str]:
    """Queue the referral alert (email, and a text to the on-call specialist) in the
    staff-alert outbox, whose worker sends it with retries and makes a failure visible on the
    case (notices/staff_alerts.py); record it in the access log; returns the addresses.
    Runs in the worker, inside the case's agency scope (cases.tasks)."""
    case = Case.objects.select_related("agency", "assigned_to__user").get(pk=case_id)
    alert = referral_alert(case, site_url=site_url)
    addresses = [member.user.email for member in alert.recipients]
    if not addresses:
        logger.warning("Referral %s: nobody with an email address to alert.", case.number)
    texted, text = on_call_text(case, "new officer referral")
    hooks.staff_alert(
        agency=case.agency,
        kind="referral_alert",
        case=case,
        subject=alert.subject,
        body=alert.body,
        to_members=alert.recipients,
        sms_members=texted,
        sms_text=text,
        dedupe_key=f"referral_alert:{case.pk}",
    )
    audit_record(
        actor=Actor.system(case.agency, "referral alert"),
        action=AuditAction.SCENE_REFERRAL_ALERT,
        obj=case,
        details={
            "to": [member.pk for member in alert.recipients],
            "texted": [member.pk for member in texted],
            "fallback": alert.fallback,
        },
    )
    return addresses
