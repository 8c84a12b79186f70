"""Reads of the services given: a case's list, and the PMT counts for an agency and a period.
Removed entries count nowhere."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.core.exceptions import PermissionDenied
from django.db.models import Count, QuerySet

from haven.agencies.roles import Perm
from haven.assistance import catalog
from haven.assistance.models import ServiceProvided
from haven.audit.models import AuditAction
from haven.audit.services import audit_record
from haven.cases.models import Case
from haven.cases.selectors import people_served as people_served  # whom a service can be for
from haven.core.actor import Actor


def _given(actor: Actor) -> QuerySet[ServiceProvided]:
    return ServiceProvided.objects.filter(agency=actor.agency, removed_at__isnull=True)


def services_for_case(actor: Actor, case: Case) -> QuerySet[ServiceProvided]:
    """The services given on a case the caller fetched through access_case, newest first, with
    the person and the provider loaded."""
    actor.require(Perm.CASE_VIEW)
    actor.require_own(case)
    return (
        _given(actor)
        .filter(case=case)
        .select_related("person", "provided_by__user")
        .order_by("-provided_at", "-id")
    )


@dataclass(frozen=True)
class SubServiceCount:
    code: str
    label: str
    times: int  # how many times it was provided
    individuals: int  # how many different people received it


@dataclass(frozen=True)
class CategoryCount:
    code: str
    label: str
    times: int
    individuals: int  # people who received any service of the category, each once
    sub_services: tuple[SubServiceCount, ...]


@dataclass(frozen=True)
class ServiceCounts:
    start: datetime
    end: datetime  # exclusive
    times: int
    individuals: int  # people who received any service in the period, each once
    categories: tuple[CategoryCount, ...]


def _bounds(actor: Actor, start: date | datetime, end: date | datetime) -> tuple:
    """Dates are days in the agency's time zone, both included; datetimes are [start, end)."""
    tz = actor.agency.tz
    if not isinstance(start, datetime):
        start = datetime.combine(start, time.min, tzinfo=tz)
    if not isinstance(end, datetime):
        end = datetime.combine(end + timedelta(days=1), time.min, tzinfo=tz)
    return start, end


# long: one grouped query folded into the PMT categories' table
def services_by_category(
    actor: Actor, start: date | datetime, end: date | datetime
) -> ServiceCounts:
    """The PMT service counts of the actor's agency for a period: per category the times
    provided and the unique individuals served, per sub-service the same, and the unique
    individuals over all. Every category and sub-service of the reference is listed, zeros
    included, in the PMT's order. Aggregates only: no names, no case numbers.

    `start` and `end` are dates in the agency's time zone, both included (a fiscal quarter:
    Oct 1 to Dec 31), or aware datetimes, start included and end not. Refused without
    reports.aggregates or case.view_all. Three queries, whatever the number of services.
    """
    if not (actor.has(Perm.AGGREGATES_VIEW) or actor.has(Perm.CASE_VIEW_ALL)):
        raise PermissionDenied("Your role does not allow this (reports.aggregates).")
    start, end = _bounds(actor, start, end)
    given = _given(actor).filter(provided_at__gte=start, provided_at__lt=end)
    by_category = {
        row["category"]: row
        for row in given.values("category")
        .annotate(times=Count("id"), individuals=Count("person", distinct=True))
        .order_by()
    }
    by_sub = {
        row["sub_service"]: row
        for row in given.values("sub_service")
        .annotate(times=Count("id"), individuals=Count("person", distinct=True))
        .order_by()
    }
    overall = given.aggregate(times=Count("id"), individuals=Count("person", distinct=True))
    empty = {"times": 0, "individuals": 0}
    categories = tuple(
        CategoryCount(
            code=category.code,
            label=category.label,
            times=by_category.get(category.code, empty)["times"],
            individuals=by_category.get(category.code, empty)["individuals"],
            sub_services=tuple(
                SubServiceCount(
                    code=sub.code,
                    label=sub.label,
                    times=by_sub.get(sub.code, empty)["times"],
                    individuals=by_sub.get(sub.code, empty)["individuals"],
                )
                for sub in category.sub_services
            ),
        )
        for category in catalog.categories()
    )
    audit_record(
        actor=actor,
        action=AuditAction.AGGREGATES_VIEW,
        object_type="assistance.services",
        details={"start": start.isoformat(), "end": end.isoformat()},
    )
    return ServiceCounts(
        start=start,
        end=end,
        times=overall["times"],
        individuals=overall["individuals"],
        categories=categories,
    )
