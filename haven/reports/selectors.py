"""The dashboard's numbers: aggregate queries and one pass in Python over a few columns, never
a row per person on the page. Definitions are in docs/reports.md."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta

from django.db.models import Case as DbCase
from django.db.models import (
    Count,
    Exists,
    OuterRef,
    Q,
    QuerySet,
    When,
)
from django.utils import timezone

from haven.agencies.models import District, Membership
from haven.agencies.roles import Perm
from haven.assistance.models import ServiceProvided
from haven.audit.models import AuditAction
from haven.audit.services import audit_record
from haven.cases.models import (
    OPEN_STATUSES,
    Case,
    CaseStatus,
    Contact,
    ContactOutcome,
)
from haven.compensation.selectors import compensation_summary
from haven.core.actor import Actor
from haven.followup.models import FollowUp
from haven.funding.selectors import source_choices
from haven.justice.selectors import obligations_overdue
from haven.lib.reference import choices
from haven.referrals.models import ReferralStatus
from haven.referrals.selectors import referral_outcomes
from haven.reports import suppression
from haven.reports.figures import (  # noqa: F401 (Filters, Goals and goals_for are read from here too)
    Dashboard,
    Filters,
    Goals,
    Kpi,
    MonthRow,
    Seconds,
    _bounds,
    _bucket,
    _median,
    _months,
    _share,
    goals_for,
)
from haven.reports.models import SurveyResponse
from haven.reports.suppression import Num

SATISFIED = (4, 5)
SCALE = ["Very dissatisfied", "Dissatisfied", "Neutral", "Satisfied", "Very satisfied"]


def filtered_cases(actor: Actor, filters: Filters):
    cases = Case.objects.filter(agency=actor.agency)
    if filters.district_id:
        cases = cases.filter(district_id=filters.district_id)
    if filters.specialist_id:
        cases = cases.filter(assigned_to_id=filters.specialist_id)
    if filters.victimization:
        cases = cases.filter(victimizations__code=filters.victimization)
    if filters.funding_source_id:
        tagged = ServiceProvided.objects.filter(
            case=OuterRef("pk"),
            funding_source_id=filters.funding_source_id,
            removed_at__isnull=True,
        )
        cases = cases.filter(Exists(tagged))
    return cases


def filter_choices(actor: Actor) -> dict:
    """The dashboard's filter menus: districts, specialists (staff names), victimization types."""
    return {
        "districts": list(
            District.objects.filter(agency=actor.agency).order_by("name").values_list("id", "name")
        ),
        "specialists": [
            (m.pk, m.display_name)
            for m in Membership.objects.filter(
                agency=actor.agency, role__in=["advocate", "supervisor", "coordinator"]
            )
            .select_related("user")
            .order_by("user__last_name", "user__first_name")
        ],
        "victimizations": choices("pmt", "victimization_types"),
        "funding_sources": source_choices(actor.agency),
    }


# The dashboard: one small function per panel, each given the same _Scope, composed by
# dashboard() below. Each panel asks the database for aggregates or a few columns per case.


@dataclass(frozen=True)
class _Scope:
    """What every panel reads: whose agency, which cases, which period (as instants and as
    months), the clock, the goals, and whether small counts are hidden (analysts)."""

    actor: Actor
    filters: Filters
    now: datetime
    goals: Goals
    suppress: bool
    start: datetime
    end: datetime
    months: list[date]
    # The instants the period's months start at (the first clipped to the period), then its end.
    edges: list[datetime]
    cases: QuerySet[Case]

    @property
    def first_contact_goal(self) -> timedelta:
        return timedelta(hours=self.goals.first_contact_hours)

    def n(self, value: int) -> Num:
        return suppression.count(value, suppress=self.suppress)

    def measure(self, value: float | None, base: int, fmt: str = "{:.1f}") -> Num:
        return suppression.measure(value, base, suppress=self.suppress, fmt=fmt)


def _scope(actor: Actor, filters: Filters, now: datetime) -> _Scope:
    tz = actor.agency.tz
    start, end = _bounds(tz, filters.start, filters.end)
    months = _months(filters.start, filters.end)
    edges = [max(start, datetime.combine(m, time.min, tzinfo=tz)) for m in months] + [end]
    return _Scope(
        actor=actor,
        filters=filters,
        now=now,
        goals=goals_for(actor.agency),
        suppress=not actor.has(Perm.CASE_VIEW_ALL),
        start=start,
        end=end,
        months=months,
        edges=edges,
        cases=filtered_cases(actor, filters),
    )


@dataclass
class _FirstContacts:
    """Cases received in the period: how long to the first completed contact, overall and
    by month. A case is due once the goal's deadline has passed or the contact was made."""

    hours: list[float] = field(default_factory=list)
    hours_by_month: dict[date, list[float]] = field(default_factory=lambda: defaultdict(list))
    within: int = 0
    due: int = 0
    within_by_month: dict[date, int] = field(default_factory=lambda: defaultdict(int))
    due_by_month: dict[date, int] = field(default_factory=lambda: defaultdict(int))
    received_by_month: dict[date, int] = field(default_factory=lambda: defaultdict(int))

    @property
    def received(self) -> int:
        return sum(self.received_by_month.values())


def _first_contacts(scope: _Scope) -> _FirstContacts:
    """The database gives each row its month (by comparing with the month boundaries) and the
    elapsed seconds, so no timestamp is converted in Python."""
    goal = scope.first_contact_goal
    goal_seconds = goal.total_seconds()
    found = _FirstContacts()
    rows = (
        scope.cases.filter(received_at__gte=scope.start, received_at__lt=scope.end)
        .annotate(
            m=_bucket("received_at", scope.edges),
            s=Seconds("first_contact_at", "received_at"),
            late=DbCase(When(received_at__lte=scope.now - goal, then=1), default=0),
        )
        .values_list("m", "s", "late")
        .order_by()
    )
    for index, seconds, late in rows:
        month = scope.months[index]
        if seconds is not None:
            seconds = round(seconds)  # julianday() is exact to about a millisecond
        found.received_by_month[month] += 1
        if seconds is not None:
            hours = max(seconds / 3600, 0)
            found.hours.append(hours)
            found.hours_by_month[month].append(hours)
        if seconds is not None or late:
            found.due += 1
            found.due_by_month[month] += 1
            if seconds is not None and seconds <= goal_seconds:
                found.within += 1
                found.within_by_month[month] += 1
    return found


def _first_contact_kpi(scope: _Scope, found: _FirstContacts) -> Kpi:
    return Kpi(
        median=scope.measure(_median(found.hours), len(found.hours)),
        within_goal=scope.measure(_share(found.within, found.due), found.due, fmt="{:.0f}"),
        base=scope.n(found.due),
    )


def _resolution_days(scope: _Scope) -> tuple[list[float], dict[date, list[float]]]:
    """Days from received to closed, for cases closed (status closed) in the period: all of
    them, and by the month they closed in."""
    days_all, days_by_month = [], defaultdict(list)
    closed = scope.cases.filter(
        status=CaseStatus.CLOSED, closed_at__gte=scope.start, closed_at__lt=scope.end
    )
    for index, seconds in (
        closed.annotate(m=_bucket("closed_at", scope.edges), s=Seconds("closed_at", "received_at"))
        .values_list("m", "s")
        .order_by()
    ):
        days = max(round(seconds) / 86400, 0)
        days_all.append(days)
        days_by_month[scope.months[index]].append(days)
    return days_all, days_by_month


def _resolution_kpi(scope: _Scope, days: list[float]) -> Kpi:
    within = sum(1 for d in days if d <= scope.goals.resolution_days)
    return Kpi(
        median=scope.measure(_median(days), len(days)),
        within_goal=scope.measure(_share(within, len(days)), len(days), fmt="{:.0f}"),
        base=scope.n(len(days)),
    )


def _survey_answers(scope: _Scope) -> dict[date, dict[int, int]]:
    """How many anonymous survey answers gave each overall score, by month of the period."""
    filters = scope.filters
    answers = SurveyResponse.objects.filter(
        agency=scope.actor.agency, month__gte=scope.months[0], month__lte=filters.end
    )
    if filters.district_id:
        answers = answers.filter(district_id=filters.district_id)
    if filters.specialist_id:
        answers = answers.filter(specialist_id=filters.specialist_id)
    if filters.victimization:
        answers = answers.filter(victimization=filters.victimization)
    by_month: dict[date, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for month, overall, count in (
        answers.values_list("month", "overall").annotate(n=Count("id")).order_by()
    ):
        by_month[month][overall] += count
    return by_month


def _answer_totals(by_month: dict[date, dict[int, int]]) -> dict[int, int]:
    totals: dict[int, int] = defaultdict(int)
    for per in by_month.values():
        for overall, count in per.items():
            totals[overall] += count
    return totals


def _caseload(scope: _Scope) -> list[tuple[str, Num]]:
    """Open cases per specialist, now (not the period), the largest caseload first."""
    names = {
        m.pk: m.display_name
        for m in Membership.objects.filter(agency=scope.actor.agency).select_related("user")
    }
    return [
        (names.get(holder, "Unassigned") if holder else "Unassigned", scope.n(count))
        for holder, count in scope.cases.filter(status__in=OPEN_STATUSES)
        .values_list("assigned_to")
        .annotate(c=Count("id"))
        .order_by("-c", "assigned_to")
    ]


def _awaiting_first_contact(scope: _Scope) -> tuple[int, int]:
    """Open cases not reached yet: how many are past the goal now, and how many have had
    outreach attempts."""
    attempts = Contact.objects.filter(case=OuterRef("pk"), outcome=ContactOutcome.ATTEMPTED)
    awaiting = scope.cases.filter(status__in=OPEN_STATUSES, first_contact_at__isnull=True)
    overdue = awaiting.filter(received_at__lte=scope.now - scope.first_contact_goal).count()
    return overdue, awaiting.filter(Exists(attempts)).count()


def _overdue_followups(scope: _Scope) -> int:
    """Check-ins and appointments past due now. With a specialist chosen: those given to them,
    and those that go with their cases (no assignee of their own)."""
    actor, filters = scope.actor, scope.filters
    pending = FollowUp.objects.filter(
        agency=actor.agency, done_at__isnull=True, due_at__lt=scope.now
    )
    if not filters.specialist_id:
        return pending.filter(case__in=scope.cases).count()
    anyone = replace(filters, specialist_id=None)
    return pending.filter(
        Q(assignee_id=filters.specialist_id)
        | Q(assignee__isnull=True, case__assigned_to_id=filters.specialist_id),
        case__in=filtered_cases(actor, anyone),
    ).count()


def _month_row(
    scope: _Scope,
    month: date,
    first: _FirstContacts,
    days_by_month: dict[date, list[float]],
    answers: dict[int, int],
) -> MonthRow:
    days = days_by_month.get(month, [])
    hours = first.hours_by_month.get(month, [])
    due = first.due_by_month.get(month, 0)
    answered = sum(answers.values())
    satisfied = sum(answers.get(k, 0) for k in SATISFIED)
    return MonthRow(
        label=f"{month:%b} {month:%y}",
        received=scope.n(first.received_by_month.get(month, 0)),
        first_contact_within=scope.measure(
            _share(first.within_by_month.get(month, 0), due), due, fmt="{:.0f}"
        ),
        first_contact_median=scope.measure(_median(hours), len(hours)),
        closed=scope.n(len(days)),
        resolution_median=scope.measure(_median(days), len(days)),
        satisfaction=scope.measure(_share(satisfied, answered), answered, fmt="{:.0f}"),
        answers=scope.n(answered),
    )


def dashboard(actor: Actor, filters: Filters, *, now: datetime | None = None) -> Dashboard:
    """Every number of the dashboard for the actor's agency (reports.aggregates). Analysts
    (who may not read cases) get small counts suppressed. Audited as an aggregate view."""
    actor.require(Perm.AGGREGATES_VIEW)
    scope = _scope(actor, filters, now or timezone.now())
    n = scope.n
    first = _first_contacts(scope)
    days, days_by_month = _resolution_days(scope)
    answers = _survey_answers(scope)
    totals = _answer_totals(answers)
    answered = sum(totals.values())
    satisfied = sum(totals[k] for k in SATISFIED)
    overdue_first, with_attempts = _awaiting_first_contact(scope)
    result = Dashboard(
        filters=filters,
        goals=scope.goals,
        suppressed=scope.suppress,
        received=n(first.received),
        first_contact=_first_contact_kpi(scope, first),
        awaiting_with_attempts=n(with_attempts),
        resolution=_resolution_kpi(scope, days),
        satisfaction=scope.measure(_share(satisfied, answered), answered, fmt="{:.0f}"),
        satisfaction_answers=n(answered),
        satisfaction_by_answer=[(SCALE[k - 1], n(totals.get(k, 0))) for k in range(5, 0, -1)],
        caseload=_caseload(scope),
        overdue_first_contacts=n(overdue_first),
        overdue_followups=n(_overdue_followups(scope)),
        overdue_obligations=_overdue_obligations(actor, filters, n),
        referrals=_referrals(actor, filters, n),
        compensation=_compensation(actor, filters, n),
        months=[
            _month_row(scope, m, first, days_by_month, answers.get(m, {})) for m in scope.months
        ],
    )
    audit_record(
        actor=actor,
        action=AuditAction.AGGREGATES_VIEW,
        object_type="reports.dashboard",
        details=filters.as_details(),
    )
    return result


def _overdue_obligations(actor: Actor, filters: Filters, n) -> Num | None:
    """Victims' rights notification obligations past due (haven.justice). Its selector
    filters by district and specialist, not by victimization type."""
    return n(
        obligations_overdue(actor, district=filters.district_id, specialist=filters.specialist_id)
    )


def _referrals(actor: Actor, filters: Filters, n) -> list[tuple[str, str, Num]] | None:
    """Partner referrals made in the period by partner and status (haven.referrals)."""
    labels = dict(ReferralStatus.choices)
    rows = referral_outcomes(
        actor,
        start=filters.start,
        end=filters.end,
        district=filters.district_id,
        specialist=filters.specialist_id,
    )
    cells = {(row["organization"], row["status"]): row["count"] for row in rows}
    shown = suppression.grid(cells, suppress=not actor.has(Perm.CASE_VIEW_ALL))
    return [
        (organization, labels.get(status, status), shown[organization, status])
        for organization, status in cells
    ]


def _compensation(actor: Actor, filters: Filters, n) -> list[tuple[str, Num]] | None:
    """Crime victim compensation and restitution in the period (haven.compensation's own
    aggregate selector; agency-wide, it takes no district, specialist or type filter). For
    analysts an amount over fewer than 5 claims is not shown."""
    found = compensation_summary(actor, start=filters.start, end=filters.end)
    suppress = not actor.has(Perm.CASE_VIEW_ALL)

    def money(amount, over: int) -> Num:
        return suppression.measure(float(amount), over, suppress=suppress, fmt="${:,.2f}")

    return [
        ("Claims filed", n(found.claims_filed)),
        ("Claims decided", n(found.claims_decided)),
        ("Claims awarded (in full or part)", n(found.claims_awarded)),
        ("Claims denied", n(found.claims_denied)),
        ("Amount claimed (claims filed)", money(found.amount_claimed, found.claims_filed)),
        ("Amount awarded (claims decided)", money(found.amount_awarded, found.claims_decided)),
        ("Amount paid", money(found.amount_paid, found.claims_decided)),
        ("Restitution ordered", money(found.restitution_ordered, SUPPRESS_FREE)),
        ("Restitution received", money(found.restitution_received, SUPPRESS_FREE)),
    ]


# Restitution sums are not tied to a claim count: shown as they are (a base that never
# suppresses), since an order is a public court record.
SUPPRESS_FREE = 10**9
