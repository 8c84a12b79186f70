"""The morning digest: each specialist's count of follow-ups due today and overdue, by email.

Email is not a secure channel (see haven/cases/notifications.py): the digest holds two numbers
and a link, never a victim's name, a case number, a court or anything else about a case. The
specialist signs in to read the rest.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import dateformat, timezone

from haven.agencies.models import Agency, Membership
from haven.agencies.roles import CASEWORKER_ROLES
from haven.audit.models import AuditAction
from haven.audit.services import audit_record
from haven.cases import hooks
from haven.core.actor import Actor
from haven.followup.models import ReminderDigest
from haven.followup.selectors import digest_counts

# The local hour (in each agency's time zone) the digest goes out.
DIGEST_HOUR = 7


@dataclass(frozen=True)
class Digest:
    subject: str
    body: str


def digest_due(agency: Agency, now: datetime) -> bool:
    """Whether it is the agency's digest hour on its own wall clock."""
    return timezone.localtime(now, agency.tz).hour == DIGEST_HOUR


def followups_link(site_url: str) -> str:
    path = reverse("followup:list")
    return f"{site_url.rstrip('/')}{path}" if site_url else path


def digest_text(*, due_today: int, overdue: int, day: datetime, site_url: str) -> Digest:
    """The digest's words: the two counts, the day and a link. Nothing else."""

    def count(n: int) -> str:
        return f"{n} follow-up{'s' if n != 1 else ''}"

    parts = [f"{count(due_today)} due today"] + ([f"{overdue} overdue"] if overdue else [])
    subject = "Haven: " + ", ".join(parts)
    lines = [
        f"Your follow-ups in Haven for {dateformat.format(day, 'l, F j')}:",
        "",
        f"Due today: {due_today}",
        f"Overdue: {overdue}",
        "",
        f"Open your follow-ups: {followups_link(site_url)}",
        "",
        "For the victims' safety this email holds no names or details: read them in Haven.",
    ]
    return Digest(subject=subject, body="\n".join(lines))


def send_digests(*, agency: Agency, now: datetime | None = None, site_url: str = "") -> list[str]:
    """Email each of the agency's active specialists with follow-ups due today or overdue
    their digest, once a local day: the ReminderDigest row is claimed in the transaction that
    queues the digest in the staff-alert outbox, so a rerun or a second worker sends nothing
    twice and the outbox's worker retries a mail server that is down. Runs inside the agency's
    scope; returns the addresses queued."""
    now = now or timezone.now()
    local = timezone.localtime(now, agency.tz)
    counts = {c.membership_id: c for c in digest_counts(agency, now)}
    members = (
        Membership.objects.filter(
            agency=agency, pk__in=list(counts), is_active=True, role__in=CASEWORKER_ROLES
        )
        .exclude(user__email="")
        .select_related("user")
        .order_by("pk")
    )
    actor = Actor.system(agency, "follow-up digest")
    sent = []
    for member in members:
        count = counts[member.pk]
        digest = digest_text(
            due_today=count.due_today, overdue=count.overdue, day=local, site_url=site_url
        )
        try:
            with transaction.atomic():
                ReminderDigest.objects.create(
                    agency=agency, membership=member, on_date=local.date(), sent_at=now
                )
                audit_record(
                    actor=actor,
                    action=AuditAction.FOLLOWUP_DIGEST,
                    obj=member,
                    details={"due_today": count.due_today, "overdue": count.overdue},
                )
                # The staff-alert outbox (notices), in the claim's transaction: its worker
                # sends it with retries and lists a failure for the supervisors.
                hooks.staff_alert(
                    agency=agency,
                    kind="followup_digest",
                    subject=digest.subject,
                    body=digest.body,
                    to_members=[member],
                    dedupe_key=f"followup_digest:{local.date().isoformat()}:{member.pk}",
                )
        except IntegrityError:
            continue  # already sent today
        sent.append(member.user.email)
    return sent
