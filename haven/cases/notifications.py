"""Email alerts to staff about cases.

Email is not a secure channel: an alert says that there is something to look at and where,
never who the victim is or what happened. The case number, its priority and a link are all it
holds; the specialist signs in to read the rest.
"""

import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
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


def send_referral_alert(*, case_id: int, site_url: str = "") -> list[str]:
    """Email the referral alert and record it in the access log; returns the addresses mailed.
    Runs in the worker, inside the case's agency scope (cases.tasks)."""
    case = Case.objects.select_related("agency", "assigned_to__user").get(pk=case_id)
    alert = referral_alert(case, site_url=site_url)
    addresses = [member.user.email for member in alert.recipients]
    if not addresses:
        logger.warning("Referral %s: nobody with an email address to alert.", case.number)
    else:
        send_mail(
            alert.subject,
            alert.body,
            settings.DEFAULT_FROM_EMAIL,
            addresses,
            fail_silently=False,
        )
    audit_record(
        actor=Actor.system(case.agency, "referral alert"),
        action=AuditAction.SCENE_REFERRAL_ALERT,
        obj=case,
        details={"to": [member.pk for member in alert.recipients], "fallback": alert.fallback},
    )
    return addresses
