"""MOU reminders: the agency's coordinators are emailed when an MOU enters its lapsing window
(the agency's lapsing days, 60 by default), 14 days before its end, and the day after it lapsed;
once per MOU per threshold, whatever runs the task and however often.

The claim is the MouReminder row (unique per MOU and threshold), inserted with the audit event
in the transaction that queues the mail in the staff-alert outbox (notices), whose worker
sends it with retries and lists a failure for the supervisors.
When the task missed days, only the reminder the day calls for goes out (a 60-day reminder is
not sent when 10 days are left: the 14-day one is). MOUs renewed or deliberately left to end get
none, nor do MOUs another MOU with the same partner takes over from (a renewal recorded as a
new MOU); lapsed ones only within 30 days of their end. The email names the partner and the MOU:
directory facts, nothing about any victim.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db import IntegrityError, transaction
from django.urls import reverse

from haven.agencies.models import Agency, Membership
from haven.agencies.roles import Role
from haven.audit.models import AuditAction
from haven.audit.services import audit_record
from haven.cases import hooks
from haven.core.actor import Actor
from haven.partners.models import MOU, MouReminder
from haven.partners.selectors import (
    local_today,
    mous_for_reminders,
    reminder_threshold,
    settings_for,
)


def has_successor(mou: MOU) -> bool:
    """Whether another MOU with the same partner takes over from this one (ends later and
    starts by the day after this one ends): a renewal recorded as a new MOU, even if nobody
    marked the old one renewed."""
    return (
        MOU.objects.filter(
            agency_id=mou.agency_id,
            organization_id=mou.organization_id,
            ends_on__gt=mou.ends_on,
            starts_on__lte=mou.ends_on + timedelta(days=1),
        )
        .exclude(pk=mou.pk)
        .exists()
    )


def reminder_text(mou: MOU, threshold: int, on: date, site_url: str = "") -> tuple[str, str]:
    days_left = (mou.ends_on - on).days
    org = mou.organization.name
    if threshold == MouReminder.LAPSED:
        subject = f"Haven: the MOU with {org} has lapsed"
        lead = f"The MOU with {org} ({mou.title}) ended on {mou.ends_on:%B %-d, %Y}."
    else:
        subject = f"Haven: the MOU with {org} ends in {days_left} days"
        lead = (
            f"The MOU with {org} ({mou.title}) ends on {mou.ends_on:%B %-d, %Y}, "
            f"in {days_left} day{'s' if days_left != 1 else ''}."
        )
    path = reverse("partners:mou_edit", args=[mou.pk])
    link = f"{site_url.rstrip('/')}{path}" if site_url else path
    body = "\n".join(
        [
            lead,
            f"Renewal: {mou.get_renewal_status_display()}.",
            "",
            "Referrals to this partner stay possible without an MOU in force; specialists see a "
            "warning. Record the renewed MOU, or mark this one as not renewing, to stop these "
            "reminders.",
            "",
            f"Open the MOU: {link}",
        ]
    )
    return subject, body


def send_mou_reminders(
    *, agency: Agency, on: date | None = None, site_url: str = ""
) -> list[tuple[int, int]]:
    """Send the reminders due on `on` (the agency's today) to its active coordinators with an
    email. Runs inside the agency's scope. Returns (mou id, threshold) for each reminder sent."""
    on = on or local_today(agency)
    first = settings_for(agency).lapsing_days
    recipients = list(
        Membership.objects.filter(agency=agency, is_active=True, role=Role.COORDINATOR)
        .exclude(user__email="")
        .select_related("user")
        .order_by("pk")
    )
    if not recipients:
        return []
    actor = Actor.system(agency, "MOU reminder")
    sent = []
    for mou in mous_for_reminders(agency, on):
        threshold = reminder_threshold((mou.ends_on - on).days, first)
        if threshold is None or has_successor(mou):
            continue
        subject, body = reminder_text(mou, threshold, on, site_url)
        try:
            with transaction.atomic():
                MouReminder.objects.create(
                    agency=agency, mou=mou, threshold=threshold, recipients=len(recipients)
                )
                audit_record(
                    actor=actor,
                    action=AuditAction.MOU_REMINDER,
                    obj=mou,
                    details={
                        "threshold": threshold,
                        "ends_on": mou.ends_on.isoformat(),
                        "recipients": len(recipients),
                    },
                )
                # The staff-alert outbox (notices), in the claim's transaction: its worker
                # sends it with retries and lists a failure for the supervisors.
                hooks.staff_alert(
                    agency=agency,
                    kind="mou_reminder",
                    subject=subject,
                    body=body,
                    to_members=recipients,
                    dedupe_key=f"mou_reminder:{mou.pk}:{threshold}:{mou.ends_on.isoformat()}",
                )
        except IntegrityError:
            continue  # this threshold was already reminded
        sent.append((mou.pk, threshold))
    return sent
