"""Reads of funding: sources, funds, requests on a case, time splits in effect, staff hours.
Every read is scoped to the actor's agency."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import QuerySet, Sum

from haven.agencies.models import Agency
from haven.cases.models import Case
from haven.core.actor import Actor
from haven.funding.models import (
    EmergencyFund,
    EmergencyRequest,
    FundingSource,
    RequestStatus,
    TimeSplit,
)

# Staff hours: a full-time member's paid hours on each weekday (Monday to Friday); see
# docs/funding.md, "Staff hours". Haven has no timesheets, so the split of a standard
# 40-hour week stands in for the hours a grant paid for.
HOURS_PER_WEEKDAY = Decimal("8")


def sources_for(agency: Agency) -> QuerySet[FundingSource]:
    return FundingSource.objects.filter(agency=agency).order_by("name", "id")


def source_choices(agency: Agency) -> list[tuple[int, str]]:
    return [(s.pk, s.name) for s in sources_for(agency)]


def default_source(agency: Agency) -> FundingSource | None:
    return FundingSource.objects.filter(agency=agency, is_default=True).first()


def funds_for(agency: Agency) -> QuerySet[EmergencyFund]:
    return (
        EmergencyFund.objects.filter(agency=agency)
        .select_related("source")
        .order_by("source__name", "id")
    )


def requests_for_case(actor: Actor, case: Case) -> QuerySet[EmergencyRequest]:
    """The case's requests, newest first (the caller has checked the case with access_case)."""
    return (
        EmergencyRequest.objects.filter(agency=actor.agency, case=case)
        .select_related("fund__source", "requested_by__user", "decided_by__user")
        .order_by("-requested_at", "-id")
    )


def requests_waiting(agency: Agency) -> QuerySet[EmergencyRequest]:
    """Requests a supervisor has to act on: to approve, or approved and not yet paid."""
    return (
        EmergencyRequest.objects.filter(
            agency=agency, status__in=[RequestStatus.REQUESTED, RequestStatus.APPROVED]
        )
        .select_related("fund__source", "requested_by__user", "case")
        .order_by("requested_at", "id")
    )


def splits_by_member(agency: Agency) -> dict[int, list[tuple[date, dict[int, Decimal]]]]:
    """Each member's periods, oldest first: (effective from, {source id: percent})."""
    periods: dict[int, dict[date, dict[int, Decimal]]] = defaultdict(lambda: defaultdict(dict))
    for member_id, day, source_id, percent in (
        TimeSplit.objects.filter(agency=agency)
        .values_list("member_id", "effective_from", "source_id", "percent")
        .order_by()
    ):
        periods[member_id][day][source_id] = percent
    return {member: sorted(days.items()) for member, days in periods.items()}


def split_on(periods: list[tuple[date, dict[int, Decimal]]], day: date) -> dict[int, Decimal]:
    """The split in effect on `day`: the period with the latest start on or before it."""
    found: dict[int, Decimal] = {}
    for start, lines in periods:
        if start > day:
            break
        found = lines
    return found


def staff_hours(agency: Agency, source: FundingSource, start: date, end: date) -> Decimal:
    """Hours of staff time charged to `source` from `start` to `end` (both included): for each
    weekday, 8 hours times each member's percent for the source in the split in effect that
    day, summed over members. A member with no split in effect charges nothing."""
    total = Decimal("0")
    for periods in splits_by_member(agency).values():
        day = start
        while day <= end:
            if day.weekday() < 5:
                percent = split_on(periods, day).get(source.pk)
                if percent:
                    total += HOURS_PER_WEEKDAY * percent / 100
            day += timedelta(days=1)
    return total.quantize(Decimal("0.01"))


def assistance_spent(agency: Agency, source: FundingSource, start, end) -> tuple[int, Decimal]:
    """Requests disbursed from the source's fund in [start, end) (instants), and their sum."""
    paid = EmergencyRequest.objects.filter(
        agency=agency,
        fund__source=source,
        status=RequestStatus.DISBURSED,
        disbursed_at__gte=start,
        disbursed_at__lt=end,
    ).order_by()
    found = paid.aggregate(total=Sum("amount"))
    return paid.count(), found["total"] or Decimal("0")
