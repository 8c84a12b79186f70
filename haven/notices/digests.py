"""The 24-hour clock warns (issue 17, item 7), as one digest per person per sweep.

Every quarter hour (tasks.clock_every_quarter_hour) the sweep looks at each agency's open
cases and gives each warning once per case:

- *first contact due soon*: at the agency's warning point (default 18 h after the case came
  in), no first contact, assigned: to the assigned specialist;
- *waiting unassigned*: at the warning point, no first contact, nobody assigned: to the
  on-call specialist and the supervisors;
- *first-contact goal missed*: the goal (Agency.first_contact_goal_hours) passed with no first
  contact: to the supervisors;
- *resolution goal near*: the resolution goal (the reports' goals) minus the warning days: to
  the assigned specialist (the supervisors when unassigned);
- *resolution goal passed*, the case still open: to the supervisors.

A ClockWarning row per case and kind is claimed (unique) in the same transaction as the
digests are queued in the staff-alert outbox, so two sweeps, or a rerun, never warn twice
about the same case. Each person gets one email per sweep listing all their cases: case
numbers and links only, never a name.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import dateformat, timezone

from haven.agencies.models import Agency, Membership
from haven.agencies.roles import Role
from haven.audit.models import AuditAction
from haven.audit.services import audit_record
from haven.cases import hooks
from haven.cases.models import OPEN_STATUSES, Case
from haven.core.actor import Actor
from haven.core.scoping import agency_scope, all_agencies
from haven.notices.models import ClockWarning, ClockWarningKind
from haven.notices.services import notice_settings
from haven.notices.staff_alerts import staff_alert_queue

Kind = ClockWarningKind
# The order the sections appear in a digest, and each one's heading.
HEADINGS = {
    Kind.FIRST_CONTACT_MISSED: "First-contact goal missed",
    Kind.UNASSIGNED: "Waiting for a specialist, no first contact yet",
    Kind.FIRST_CONTACT_SOON: "First contact due soon",
    Kind.RESOLUTION_MISSED: "Resolution goal passed, still open",
    Kind.RESOLUTION_SOON: "Resolution goal near",
}


def _supervisors(agency: Agency) -> list[Membership]:
    leads = list(
        Membership.objects.filter(agency=agency, is_active=True, role=Role.SUPERVISOR)
        .select_related("user")
        .order_by("pk")
    )
    if leads:
        return leads
    return list(
        Membership.objects.filter(agency=agency, is_active=True, role=Role.COORDINATOR)
        .select_related("user")
        .order_by("pk")
    )


def due_warnings(agency: Agency, now: datetime) -> list[tuple[Case, str]]:
    """(case, kind) for every warning whose point has passed, given before or not."""
    config = notice_settings(agency)
    goal = timedelta(hours=agency.first_contact_goal_hours)
    warn = min(timedelta(hours=config.first_contact_warn_hours), goal)
    resolve = timedelta(days=hooks.resolution_goal_days(agency))
    resolve_warn = max(resolve - timedelta(days=config.resolution_warn_days), timedelta(0))
    found = []
    cases = Case.objects.filter(agency=agency, status__in=OPEN_STATUSES).select_related(
        "assigned_to__user"
    )
    for case in cases.filter(first_contact_at__isnull=True, received_at__lte=now - warn):
        age = now - case.received_at
        if age >= goal:
            found.append((case, Kind.FIRST_CONTACT_MISSED))
        if case.assigned_to_id is None:
            found.append((case, Kind.UNASSIGNED))
        elif age < goal:
            found.append((case, Kind.FIRST_CONTACT_SOON))
    for case in cases.filter(received_at__lte=now - resolve_warn):
        missed = now - case.received_at >= resolve
        found.append((case, Kind.RESOLUTION_MISSED if missed else Kind.RESOLUTION_SOON))
    return found


def _recipients(case: Case, kind: str, leads: list[Membership], on_call) -> list[Membership]:
    if kind in (Kind.FIRST_CONTACT_MISSED, Kind.RESOLUTION_MISSED):
        return leads
    if kind == Kind.UNASSIGNED:
        return ([on_call] if on_call is not None and on_call.is_active else []) + leads
    if case.assigned_to is not None and case.assigned_to.is_active:
        return [case.assigned_to]
    return leads


def _claim(case: Case, kind: str, now: datetime) -> bool:
    try:
        with transaction.atomic():
            ClockWarning.objects.create(agency=case.agency, case=case, kind=kind, created_at=now)
    except IntegrityError:
        return False
    return True


def digest_text(
    member: Membership, items: dict[str, list[Case]], agency: Agency, now: datetime
) -> tuple[str, str]:
    """The digest's subject and body: a section per warning, a line per case (its number,
    when it came in, a link). No names, nothing about what happened."""
    count = sum(len(cases) for cases in items.values())
    site = settings.SITE_URL.rstrip("/")
    lines = [f"Hello {member.display_name},", "", "The 24-hour clock in Haven:"]
    for kind, heading in HEADINGS.items():
        if not items.get(kind):
            continue
        lines += ["", f"{heading} ({len(items[kind])}):"]
        for case in items[kind]:
            came = dateformat.format(
                timezone.localtime(case.received_at, agency.tz), "D M j, g:i A"
            )
            link = site + reverse("cases:detail", args=[case.pk])
            lines.append(f"- Case {case.number}, came in {came}: {link}")
    lines += [
        "",
        "For the victims' safety this email holds no names or details: read them in Haven.",
    ]
    subject = f"Haven: {count} case{'s' if count != 1 else ''} on the clock"
    return subject, "\n".join(lines)


def sweep_agency(agency: Agency, now: datetime) -> int:
    """Claim every new warning and queue one digest per person; returns the digests queued."""
    leads = _supervisors(agency)
    on_call = hooks.on_call_member(agency)
    by_person: dict[int, dict[str, list[Case]]] = defaultdict(lambda: defaultdict(list))
    people: dict[int, Membership] = {}
    with transaction.atomic():
        for case, kind in due_warnings(agency, now):
            recipients = _recipients(case, kind, leads, on_call)
            if not _claim(case, kind, now):
                continue  # warned before: never the same case twice for the same warning
            for member in recipients:
                people[member.pk] = member
                by_person[member.pk][kind].append(case)
        stamp = now.strftime("%Y%m%dT%H%M%S")
        system = Actor.system(agency, "24-hour clock")
        for pk, items in by_person.items():
            member = people[pk]
            subject, body = digest_text(member, items, agency, now)
            staff_alert_queue(
                agency=agency,
                kind="clock_digest",
                subject=subject,
                body=body,
                to_members=[member],
                dedupe_key=f"clock:{stamp}:{pk}",
            )
            audit_record(
                actor=system,
                action=AuditAction.CLOCK_DIGEST,
                obj=member,
                details={k: sorted(c.pk for c in v) for k, v in items.items()},
            )
    return len(by_person)


def clock_sweep(*, now: datetime | None = None) -> int:
    """Sweep every active agency; returns how many digests were queued."""
    now = now or timezone.now()
    with all_agencies():
        agencies = list(Agency.objects.filter(is_active=True))  # not a suspended one
    total = 0
    for agency in agencies:
        with agency_scope(agency):
            total += sweep_agency(agency, now)
    return total
