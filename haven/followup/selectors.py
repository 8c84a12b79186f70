"""Queries about follow-up, always through the actor: scoped to their agency and caseload.

Follow-ups of ended cases (closed, declined, unable to contact) are left out everywhere, at
once, whether or not the hourly sweep has stopped their plan yet.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone

from haven.agencies.models import Agency, Membership
from haven.agencies.roles import Perm
from haven.audit.models import AuditAction
from haven.audit.services import audit_record
from haven.cases.models import OPEN_STATUSES, Case, CaseStatus, Contact
from haven.cases.selectors import cases_visible_to, caseworkers
from haven.core.actor import Actor
from haven.followup import schedule
from haven.followup.models import FollowUp, FollowUpKind, FollowUpPlan, FollowUpRule

# The upcoming list looks this far ahead; each list shows at most SECTION_LIMIT rows.
UPCOMING_DAYS = 14
SECTION_LIMIT = 100
RELATED = (
    "case__agency",
    "case__primary_victim",
    "case__assigned_to__user",
    "assignee__user",
)


def pending(agency: Agency) -> QuerySet[FollowUp]:
    """Every pending follow-up of the agency's open cases."""
    return FollowUp.objects.filter(
        agency=agency, done_at__isnull=True, case__status__in=OPEN_STATUSES
    )


def _held_by(membership: Membership) -> Q:
    """Follow-ups a member does: given to them, or following a case they hold."""
    return Q(assignee=membership) | Q(assignee__isnull=True, case__assigned_to=membership)


def may_see_team(actor: Actor) -> bool:
    """Everyone's follow-ups (the supervisor's view): for those who assign cases and see all."""
    return actor.has(Perm.CASE_ASSIGN) and actor.sees_all_cases


@dataclass
class Section:
    rows: list[FollowUp]
    total: int

    @property
    def more(self) -> int:
        return self.total - len(self.rows)


@dataclass
class Board:
    who: str  # "mine", "all", or a membership id
    today: datetime  # the start of the agency's local day
    overdue: Section
    due_today: Section
    upcoming: Section
    shown_cases: list[int] = field(default_factory=list)


def _section(rows: QuerySet[FollowUp]) -> Section:
    listed = list(rows[:SECTION_LIMIT])
    total = len(listed) if len(listed) < SECTION_LIMIT else rows.count()
    return Section(listed, total)


def followup_board(actor: Actor, *, who: str = "mine", now: datetime | None = None) -> Board:
    """The actor's pending follow-ups (who="mine"), or for a supervisor everyone's ("all") or one
    specialist's (a membership id): overdue, due later today (the agency's local day), and
    the next two weeks. Everyone's view lists by specialist, then by time. The list is audited
    like a case list."""
    actor.require(Perm.CASE_VIEW)
    now = now or timezone.now()
    tz = actor.agency.tz
    start, end = schedule.local_day_bounds(timezone.localtime(now, tz).date(), tz)
    rows = pending(actor.agency).filter(case__in=cases_visible_to(actor))
    if (who == "all" or who.isdigit()) and may_see_team(actor):
        if who != "all":
            member = Membership.objects.filter(agency=actor.agency, pk=int(who)).first()
            rows = rows.filter(_held_by(member)) if member else rows.none()
        order = ["holder_last", "holder_first", "due_at", "id"]
    else:
        who = "mine"
        rows = rows.filter(_held_by(actor.membership))
        order = ["due_at", "id"]
    rows = (
        rows.select_related(*RELATED)
        .annotate(
            holder_last=Coalesce("assignee__user__last_name", "case__assigned_to__user__last_name"),
            holder_first=Coalesce(
                "assignee__user__first_name", "case__assigned_to__user__first_name"
            ),
        )
        .order_by(*order)
    )
    board = Board(
        who=who,
        today=start,
        overdue=_section(rows.filter(due_at__lt=now)),
        due_today=_section(rows.filter(due_at__gte=now, due_at__lt=end)),
        upcoming=_section(rows.filter(due_at__gte=end, due_at__lt=end + timedelta(UPCOMING_DAYS))),
    )
    shown = board.overdue.rows + board.due_today.rows + board.upcoming.rows
    board.shown_cases = sorted({f.case_id for f in shown})
    audit_record(
        actor=actor,
        action=AuditAction.FOLLOWUP_LIST,
        object_type="cases.case",
        details={"who": who, "shown": board.shown_cases},
    )
    return board


def specialist_choices(actor: Actor) -> list[Membership]:
    return list(caseworkers(actor))


@dataclass
class CaseFollowUp:
    plan: FollowUpPlan | None
    check_in: FollowUp | None
    court: list[FollowUp]
    recent: list[FollowUp]
    # The rule a plan would get, read only where the section shows it: an active case without a
    # plan yet (the hourly sweep gives it one).
    rule: FollowUpRule | None


def case_plan(case: Case) -> FollowUpPlan | None:
    """The case's plan (with its rule): the one read with the case when it was (the case page
    reads it so, cases.panels.CASE_PAGE_RELATED), else one query."""
    if Case.followup_plan.is_cached(case):
        return getattr(case, "followup_plan", None)
    return FollowUpPlan.objects.filter(case=case).select_related("rule").first()


def case_followup(case: Case, *, recent: int = 5) -> CaseFollowUp:
    """What the case page shows: the plan, the pending check-in, the court appointments ahead
    and the last few recorded. The caller has read the case through its access helper."""
    from haven.followup.services import matching_rule

    plan = case_plan(case)
    # The pending and the last few done, in one query.
    latest_done = (
        FollowUp.objects.filter(case=case, done_at__isnull=False)
        .order_by("-done_at", "-id")
        .values("pk")[:recent]
    )
    rows = list(
        FollowUp.objects.filter(case=case)
        .filter(Q(done_at__isnull=True) | Q(pk__in=latest_done))
        .select_related("assignee__user", "done_by__user", "contact")
    )
    pending_rows = [row for row in rows if row.done_at is None]
    for row in pending_rows:
        row.case = case  # `specialist` falls back to the case's: the one already loaded
    done = sorted(
        (row for row in rows if row.done_at is not None),
        key=lambda row: (row.done_at, row.pk),
        reverse=True,
    )
    return CaseFollowUp(
        plan=plan,
        check_in=next((f for f in pending_rows if f.kind == FollowUpKind.CHECK_IN), None),
        court=[f for f in pending_rows if f.kind != FollowUpKind.CHECK_IN],
        recent=done,
        rule=matching_rule(case) if plan is None and case.status == CaseStatus.ACTIVE else None,
    )


def recent_contacts(case: Case, *, days: int = 14) -> QuerySet[Contact]:
    """The case's contacts of the last two weeks, newest first: what a check-in may link."""
    since = timezone.now() - timedelta(days=days)
    return case.contacts.filter(occurred_at__gte=since).order_by("-occurred_at")[:20]


def followup_rules(actor: Actor) -> list[FollowUpRule]:
    actor.require(Perm.AGENCY_CONFIGURE)
    return list(
        FollowUpRule.objects.filter(agency=actor.agency).annotate(
            plans_made=Count("plans", distinct=True)
        )
    )


@dataclass(frozen=True)
class DigestCount:
    membership_id: int
    due_today: int
    overdue: int


def digest_counts(agency: Agency, now: datetime) -> list[DigestCount]:
    """Per specialist, how many of their follow-ups are overdue and how many are due later
    today (the agency's local day), in one query. Specialists with neither are left out."""
    tz = agency.tz
    _start, end = schedule.local_day_bounds(timezone.localtime(now, tz).date(), tz)
    rows = (
        pending(agency)
        .filter(due_at__lt=end)
        .annotate(holder=Coalesce("assignee_id", "case__assigned_to_id"))
        .exclude(holder__isnull=True)
        .values("holder")
        .annotate(
            overdue=Count("id", filter=Q(due_at__lt=now)),
            due_today=Count("id", filter=Q(due_at__gte=now)),
        )
        .order_by("holder")
    )
    return [DigestCount(r["holder"], r["due_today"], r["overdue"]) for r in rows]
