"""The morning digest: each specialist's count of follow-ups due today and overdue, by email.

Email is not a secure channel (see haven/cases/notifications.py): the digest holds two numbers
and a link, never a victim's name, a case number, a court or anything else about a case. The
specialist signs in to read the rest.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import dateformat, timezone

from haven.agencies.models import Agency, Membership
from haven.agencies.roles import CASEWORKER_ROLES
from haven.audit.models import AuditAction
from haven.audit.services import audit_record
from haven.core.actor import Actor
from haven.followup.models import ReminderDigest
from haven.followup.selectors import digest_counts

logger = logging.getLogger(__name__)

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
    their digest, once a local day: the ReminderDigest row is claimed first, so a rerun or a
    second worker sends nothing twice, and released again if the mail server refuses, so a
    retry sends it. Runs inside the agency's scope; returns the addresses mailed."""
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
    sent, failed = [], []
    for member in members:
        count = counts[member.pk]
        try:
            with transaction.atomic():
                claim = ReminderDigest.objects.create(
                    agency=agency, membership=member, on_date=local.date(), sent_at=now
                )
                audit_record(
                    actor=actor,
                    action=AuditAction.FOLLOWUP_DIGEST,
                    obj=member,
                    details={"due_today": count.due_today, "overdue": count.overdue},
                )
        except IntegrityError:
            continue  # already sent today
        digest = digest_text(
            due_today=count.due_today, overdue=count.overdue, day=local, site_url=site_url
        )
        try:
            send_mail(
                digest.subject,
                digest.body,
                settings.DEFAULT_FROM_EMAIL,
                [member.user.email],
                fail_silently=False,
            )
        except Exception:
            logger.exception("Follow-up digest to member %s failed.", member.pk)
            claim.delete()
            failed.append(member.pk)
            continue
        sent.append(member.user.email)
    if failed:
        raise RuntimeError(f"{len(failed)} follow-up digest(s) could not be sent; will retry.")
    return sent
