"""What the dashboard is made of: its filters, goals and figures (the dataclasses the page
shows), and the period arithmetic its queries share (month boundaries in the agency's zone,
seconds between two timestamps computed by the database, medians and shares)."""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Case as DbCase
from django.db.models import Count, F, FloatField, Func, IntegerField, Value, When

from haven.crisis.models import AnonymousContact, CallOut, CallOutStatus, ContactKind
from haven.reports.models import ReportGoals
from haven.reports.suppression import Num, count, measure


@dataclass(frozen=True)
class Filters:
    start: date
    end: date  # included
    district_id: int | None = None
    specialist_id: int | None = None
    victimization: str = ""
    # Only cases with a service tagged to this funding source (docs/reports.md).
    funding_source_id: int | None = None

    @classmethod
    def default(cls, today: date) -> Filters:
        """The last twelve months, this one included."""
        month = today.month - 11
        year = today.year + (month - 1) // 12
        month = (month - 1) % 12 + 1
        return cls(start=date(year, month, 1), end=today)

    def as_details(self) -> dict:
        return {
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "district": self.district_id,
            "specialist": self.specialist_id,
            "victimization": self.victimization,
            "funding_source": self.funding_source_id,
        }


@dataclass
class Goals:
    first_contact_hours: int = 24
    resolution_days: int = 15
    satisfaction_percent: int = 90
    midcase_survey_days: int = 0


def goals_for(agency) -> Goals:
    row = ReportGoals.objects.filter(agency=agency).first()
    if row is None:
        return Goals(first_contact_hours=agency.first_contact_goal_hours)
    return Goals(
        row.first_contact_hours,
        row.resolution_days,
        row.satisfaction_percent,
        row.midcase_survey_days,
    )


@dataclass
class Kpi:
    median: Num
    within_goal: Num  # a share, in percent
    base: Num  # how many cases it is computed over


@dataclass
class MonthRow:
    label: str
    received: Num
    first_contact_within: Num
    first_contact_median: Num
    closed: Num
    resolution_median: Num
    satisfaction: Num
    answers: Num


@dataclass
class Dashboard:
    filters: Filters
    goals: Goals
    suppressed: bool
    received: Num
    first_contact: Kpi
    awaiting_with_attempts: Num
    resolution: Kpi
    satisfaction: Num  # percent satisfied or very satisfied
    satisfaction_answers: Num
    satisfaction_by_answer: list[tuple[str, Num]]
    caseload: list[tuple[str, Num]]
    overdue_first_contacts: Num
    overdue_followups: Num
    overdue_obligations: Num | None
    referrals: list[tuple[str, str, Num]] | None
    compensation: list[tuple[str, Num]] | None
    months: list[MonthRow] = field(default_factory=list)


def _bounds(tz, start: date, end: date) -> tuple[datetime, datetime]:
    return (
        datetime.combine(start, time.min, tzinfo=tz),
        datetime.combine(end + timedelta(days=1), time.min, tzinfo=tz),
    )


def _months(start: date, end: date) -> list[date]:
    months, month = [], date(start.year, start.month, 1)
    while month <= end:
        months.append(month)
        month = date(month.year + (month.month == 12), month.month % 12 + 1, 1)
    return months


class Seconds(Func):
    """Seconds from one timestamp column to another, computed by the database (a float, so no
    timestamp is converted to a datetime in Python)."""

    output_field = FloatField()

    def __init__(self, later: str, earlier: str):
        super().__init__(F(later), F(earlier))

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(
            compiler,
            connection,
            template="((julianday(%(expressions)s)) * 86400.0)",
            arg_joiner=") - julianday(",
            **extra,
        )

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(
            compiler,
            connection,
            template="EXTRACT(EPOCH FROM (%(expressions)s))::float",
            arg_joiner=" - ",
            **extra,
        )


def _bucket(field: str, edges: list[datetime]) -> DbCase:
    """The index of the period's month a timestamp falls in, by comparing with the months'
    starting instants (in the agency's zone)."""
    return DbCase(
        *[When(**{f"{field}__lt": edge}, then=Value(i)) for i, edge in enumerate(edges[1:])],
        default=Value(len(edges) - 2),
        output_field=IntegerField(),
    )


def _median(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


def _share(part: int, whole: int) -> float | None:
    return 100 * part / whole if whole else None


# -- Crisis response (haven.crisis): one panel of its own ------------------------------------


@dataclass
class ResponseRow:
    label: str
    callouts: Num  # call-outs someone arrived at
    median_minutes: Num  # request to arrival


@dataclass
class CrisisPanel:
    callouts: Num  # requested in the period
    arrived: Num
    median_minutes: Num
    by_district: list[ResponseRow]
    by_hour: list[ResponseRow]  # the hour of day the request came in, agency time
    anonymous_contacts: list[tuple[str, Num]]  # by kind, and the total last


def _response_row(label: str, minutes: list[float], suppress: bool) -> ResponseRow:
    return ResponseRow(
        label,
        count(len(minutes), suppress=suppress),
        measure(_median(minutes), len(minutes), suppress=suppress, fmt="{:.0f}"),
    )


def crisis_panel(agency, filters: Filters, *, suppress: bool) -> CrisisPanel:
    """Call-out response times (request to arrival, in minutes) in the period, overall, by
    district and by the hour of day the request came in, and anonymous contacts by kind.
    Call-outs filter by district; the specialist and victimization filters do not apply (a
    call-out may have no case). `suppress`: the analyst's small-count rule (suppression.py)."""
    start, end = _bounds(agency.tz, filters.start, filters.end)
    callouts = CallOut.objects.filter(
        agency=agency, requested_at__gte=start, requested_at__lt=end
    ).exclude(status=CallOutStatus.CANCELLED)
    if filters.district_id:
        callouts = callouts.filter(district_id=filters.district_id)
    rows = list(callouts.values_list("requested_at", "arrived_at", "district__name").order_by())
    by_district: dict[str, list[float]] = {}
    by_hour: dict[int, list[float]] = {hour: [] for hour in range(24)}
    minutes_all = []
    for requested, arrived, district in rows:
        if arrived is None:
            continue
        minutes = (arrived - requested).total_seconds() / 60
        minutes_all.append(minutes)
        by_district.setdefault(district or "No district", []).append(minutes)
        by_hour[requested.astimezone(agency.tz).hour].append(minutes)
    contacts = AnonymousContact.objects.filter(
        agency=agency, contact_date__gte=filters.start, contact_date__lte=filters.end
    )
    kinds = dict(contacts.values_list("kind").annotate(n=Count("id")).order_by())
    return CrisisPanel(
        callouts=count(len(rows), suppress=suppress),
        arrived=count(len(minutes_all), suppress=suppress),
        median_minutes=measure(
            _median(minutes_all), len(minutes_all), suppress=suppress, fmt="{:.0f}"
        ),
        by_district=[
            _response_row(name, values, suppress) for name, values in sorted(by_district.items())
        ],
        by_hour=[
            _response_row(f"{hour:02d}:00", values, suppress)
            for hour, values in by_hour.items()
            if values
        ],
        anonymous_contacts=[
            (label, count(kinds.get(kind, 0), suppress=suppress))
            for kind, label in ContactKind.choices
        ]
        + [("All anonymous contacts", count(sum(kinds.values()), suppress=suppress))],
    )
