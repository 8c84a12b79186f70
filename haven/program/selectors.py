"""Reads of the program app: the activity list and its filters, the month calendar, the
counts per quarter (docs/reports.md states the rules), and each volunteer's file and hours."""

from __future__ import annotations

import calendar
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet, Sum
from django.http import Http404

from haven.agencies.models import Membership
from haven.agencies.roles import Perm, Role
from haven.core.actor import Actor
from haven.program.models import (
    Activity,
    ActivityKind,
    Audience,
    VolunteerHours,
    VolunteerProfile,
)

ZERO = Decimal(0)


def may_view(actor: Actor) -> bool:
    """Who reads the program's lists and counts: those who record activities, and analysts."""
    return actor.has(Perm.PROGRAM_RECORD) or actor.has(Perm.AGGREGATES_VIEW)


def _require_view(actor: Actor) -> None:
    if not may_view(actor):
        raise PermissionDenied("Your role does not see the program's activities.")


@dataclass(frozen=True)
class ActivityFilters:
    start: date | None = None
    end: date | None = None  # included
    kind: str = ""
    audience: str = ""
    led_by_id: int | None = None


def activities(actor: Actor, filters: ActivityFilters = ActivityFilters()) -> QuerySet[Activity]:
    """The agency's activities, newest first, narrowed by the filters."""
    _require_view(actor)
    found = Activity.objects.filter(agency=actor.agency)
    if filters.start:
        found = found.filter(held_on__gte=filters.start)
    if filters.end:
        found = found.filter(held_on__lte=filters.end)
    if filters.kind:
        found = found.filter(kind=filters.kind)
    if filters.audience:
        found = found.filter(audience=filters.audience)
    if filters.led_by_id:
        found = found.filter(led_by_id=filters.led_by_id)
    return (
        found.select_related("led_by__user", "funding_source")
        .annotate(case_count=Count("cases", distinct=True))
        .prefetch_related("partners")
        .order_by("-held_on", "-id")
    )


def access_activity(actor: Actor, activity_id) -> Activity:
    """One activity of the actor's agency; missing or another agency's: the same 404."""
    _require_view(actor)
    try:
        return (
            Activity.objects.filter(agency=actor.agency)
            .select_related("led_by__user", "recorded_by__user")
            .prefetch_related("partners", "cases")
            .get(pk=int(activity_id))
        )
    except (Activity.DoesNotExist, ValueError, TypeError):
        raise Http404("No such activity.") from None


@dataclass
class Day:
    day: date
    in_month: bool
    activities: list[Activity] = field(default_factory=list)


def month_grid(actor: Actor, year: int, month: int) -> list[list[Day]]:
    """The month as weeks (Sunday first) of days, each with that day's activities."""
    _require_view(actor)
    weeks = calendar.Calendar(firstweekday=calendar.SUNDAY).monthdatescalendar(year, month)
    by_day = defaultdict(list)
    shown = Activity.objects.filter(
        agency=actor.agency, held_on__gte=weeks[0][0], held_on__lte=weeks[-1][-1]
    ).order_by("held_on", "id")
    for activity in shown:
        by_day[activity.held_on].append(activity)
    return [[Day(d, d.month == month, by_day.get(d, [])) for d in week] for week in weeks]


@dataclass
class KindCount:
    kind: str
    label: str
    count: int = 0
    hours: Decimal = ZERO
    time_spent: Decimal = ZERO
    attendees: int = 0


@dataclass
class ProgramCounts:
    """One period's program numbers for one agency. Every figure is a count or a sum: no
    person is named (docs/reports.md, "Program activities and volunteer hours")."""

    start: date
    end: date
    kinds: list[KindCount]
    trainings_by_audience: list[KindCount]
    cases_reviewed: int = 0
    volunteers: int = 0  # volunteers and interns who logged hours in the period
    volunteer_hours_on_cases: Decimal = ZERO
    volunteer_hours_off_cases: Decimal = ZERO

    @property
    def activities(self) -> int:
        return sum(k.count for k in self.kinds)

    @property
    def volunteer_hours(self) -> Decimal:
        return self.volunteer_hours_on_cases + self.volunteer_hours_off_cases

    def kind(self, kind: str) -> KindCount:
        return next(k for k in self.kinds if k.kind == kind)


def _sums(rows, key: str, labels) -> list[KindCount]:
    found = {row[key]: row for row in rows}
    counts = []
    for value, label in labels:
        row = found.get(value, {})
        counts.append(
            KindCount(
                value,
                label,
                count=row.get("n", 0),
                hours=row.get("h") or ZERO,
                time_spent=row.get("t") or ZERO,
                attendees=row.get("a") or 0,
            )
        )
    return counts


def program_counts(actor: Actor, start: date, end: date) -> ProgramCounts:
    """The period's activities by kind (count, hours, staff time, attendees), trainings by
    audience, cases discussed at reviews, and volunteer hours on and off cases (`end`
    included). Aggregates only: grouped in the database, no row per person."""
    _require_view(actor)
    held = Activity.objects.filter(agency=actor.agency, held_on__gte=start, held_on__lte=end)
    sums = {"n": Count("id"), "h": Sum("hours"), "t": Sum("time_spent"), "a": Sum("attendees")}
    kinds = held.values("kind").annotate(**sums).order_by()
    trainings = (
        held.filter(kind=ActivityKind.TRAINING).values("audience").annotate(**sums).order_by()
    )
    reviewed = (
        Activity.cases.through.objects.filter(activity__in=held).values("case").distinct().count()
    )
    worked = VolunteerHours.objects.filter(
        agency=actor.agency, worked_on__gte=start, worked_on__lte=end
    ).aggregate(
        on=Sum("hours", filter=Q(case__isnull=False)),
        off=Sum("hours", filter=Q(case__isnull=True)),
        people=Count("membership", distinct=True),
    )
    return ProgramCounts(
        start=start,
        end=end,
        kinds=_sums(kinds, "kind", ActivityKind.choices),
        trainings_by_audience=_sums(trainings, "audience", Audience.choices),
        cases_reviewed=reviewed,
        volunteers=worked["people"],
        volunteer_hours_on_cases=worked["on"] or ZERO,
        volunteer_hours_off_cases=worked["off"] or ZERO,
    )


@dataclass
class VolunteerRow:
    member: Membership
    profile: VolunteerProfile | None
    hours_on_cases: Decimal = ZERO
    hours_off_cases: Decimal = ZERO


def volunteers(actor: Actor, start: date, end: date) -> list[VolunteerRow]:
    """The agency's volunteers and interns, with their file and their hours in the period.
    For whoever keeps their files (program.manage)."""
    actor.require(Perm.PROGRAM_MANAGE)
    members = (
        Membership.objects.filter(agency=actor.agency, role=Role.VOLUNTEER)
        .select_related("user", "volunteer_profile")
        .order_by("-is_active", "user__last_name", "user__first_name")
    )
    hours = (
        VolunteerHours.objects.filter(agency=actor.agency, worked_on__gte=start, worked_on__lte=end)
        .values("membership")
        .annotate(
            on=Sum("hours", filter=Q(case__isnull=False)),
            off=Sum("hours", filter=Q(case__isnull=True)),
        )
        .order_by()
    )
    by_member = {row["membership"]: row for row in hours}
    rows = []
    for member in members:
        found = by_member.get(member.pk, {})
        profile = getattr(member, "volunteer_profile", None)
        rows.append(
            VolunteerRow(member, profile, found.get("on") or ZERO, found.get("off") or ZERO)
        )
    return rows


def hours_of(actor: Actor, member: Membership) -> QuerySet[VolunteerHours]:
    """A volunteer's own hours (or anyone's for program.manage), newest first."""
    if member != actor.membership:
        actor.require(Perm.PROGRAM_MANAGE)
    actor.require_own(member)
    return VolunteerHours.objects.filter(agency=actor.agency, membership=member).select_related(
        "case", "activity"
    )


def access_volunteer(actor: Actor, member_id) -> Membership:
    """A volunteer or intern of the actor's agency (program.manage); anyone else: 404."""
    actor.require(Perm.PROGRAM_MANAGE)
    try:
        return (
            Membership.objects.filter(agency=actor.agency, role=Role.VOLUNTEER)
            .select_related("user", "volunteer_profile")
            .get(pk=int(member_id))
        )
    except (Membership.DoesNotExist, ValueError, TypeError):
        raise Http404("No such volunteer.") from None


@dataclass
class FundedActivities:
    """What one funding source paid for in a period: its activities, their hours and staff
    time, and the attendees of its trainings and events."""

    activities: int = 0
    hours: Decimal = ZERO
    time_spent: Decimal = ZERO
    attendees: int = 0


def activities_for_funding_source(actor: Actor, source, start: date, end: date) -> FundedActivities:
    """The activities tagged to `source` dated from `start` to `end` (included), counted as
    program_counts counts them (docs/reports.md). For the per-grant report (haven.reports)."""
    _require_view(actor)
    actor.require_own(source)
    found = Activity.objects.filter(
        agency=actor.agency, funding_source=source, held_on__gte=start, held_on__lte=end
    ).aggregate(n=Count("id"), h=Sum("hours"), t=Sum("time_spent"), a=Sum("attendees"))
    return FundedActivities(found["n"], found["h"] or ZERO, found["t"] or ZERO, found["a"] or 0)
