"""Reading the justice timeline and the rights obligations, scoped to what the actor may see.

Officers, analysts and auditors see no case, so no court details and no obligation: every
selector here starts from cases_visible_to. Analysts get the aggregate count only through
obligations_overdue with aggregates permission (the dashboard)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone

from haven.agencies.roles import Perm
from haven.cases.models import Case
from haven.cases.selectors import cases_visible_to
from haven.core.actor import Actor
from haven.justice.models import (
    CalendarFeed,
    CourtCase,
    CourtEvent,
    CourtEventStatus,
    CustodyEvent,
    ObligationStatus,
    RightsObligation,
    RightsRequest,
)

UPCOMING = (CourtEventStatus.SCHEDULED, CourtEventStatus.CONTINUED)


def obligations_visible_to(actor: Actor) -> QuerySet[RightsObligation]:
    """Specialists: the obligations of their cases (supervisors and coordinators: all the
    agency's). Nobody else sees any."""
    if not actor.has(Perm.CASE_VIEW):
        return RightsObligation.objects.none()
    cases = cases_visible_to(actor)
    if not actor.has(Perm.CASE_ASSIGN):
        # An advocate's list is their own caseload, not the unassigned queue.
        cases = cases.filter(assigned_to=actor.membership)
    return RightsObligation.objects.filter(agency=actor.agency, case__in=cases)


def obligation_list(actor: Actor, *, status: str = ObligationStatus.OPEN) -> list:
    found = obligations_visible_to(actor).select_related(
        "case", "person", "court_event", "custody_event", "case__assigned_to__user"
    )
    if status:
        found = found.filter(status=status)
    return list(found.order_by("due_at", "pk")[:500])


def obligations_overdue(actor: Actor, *, district=None, specialist=None) -> int:
    """How many open obligations are past due, for the dashboard. Caseworkers count what
    they may see; an analyst (aggregates) counts the agency's. Optionally one district or one
    specialist (a Membership or its id)."""
    if actor.has(Perm.CASE_VIEW):
        found = obligations_visible_to(actor)
    elif actor.has(Perm.AGGREGATES_VIEW):
        found = RightsObligation.objects.filter(agency=actor.agency)
    else:
        return 0
    found = found.filter(status=ObligationStatus.OPEN, due_at__lt=timezone.now())
    if district is not None:
        found = found.filter(case__district=district)
    if specialist is not None:
        found = found.filter(case__assigned_to=specialist)
    return found.count()


def court_cases_of(case: Case) -> list[CourtCase]:
    return list(CourtCase.objects.filter(case=case).order_by("created_at", "pk"))


def court_events_of(case: Case) -> list[CourtEvent]:
    return list(
        CourtEvent.objects.filter(case=case).select_related("court_case").order_by("scheduled_at")
    )


def custody_events_of(case: Case) -> list[CustodyEvent]:
    return list(CustodyEvent.objects.filter(case=case).order_by("-occurred_at"))


def obligations_of(case: Case) -> list[RightsObligation]:
    return list(
        RightsObligation.objects.filter(case=case)
        .select_related("person", "court_event", "custody_event", "by__user")
        .order_by("due_at", "pk")
    )


def requests_of(case: Case) -> set[int]:
    return set(
        RightsRequest.objects.filter(case=case, withdrawn_at__isnull=True).values_list(
            "person_id", flat=True
        )
    )


def live_feeds_of(case: Case, people_ids) -> dict[int, CalendarFeed]:
    feeds = CalendarFeed.objects.filter(
        agency=case.agency, person_id__in=list(people_ids), revoked_at__isnull=True
    )
    return {feed.person_id: feed for feed in feeds}


def calendar_events_for(person, *, agency) -> list[CourtEvent]:
    """The person's upcoming court dates over every case of the agency on which they are the
    primary victim or someone served: what the victim's calendar shows."""
    from django.db.models import Q

    cases = Case.objects.filter(agency=agency).filter(
        Q(primary_victim=person) | Q(related_people__person=person, related_people__is_served=True)
    )
    since = timezone.now() - timezone.timedelta(days=1)
    return list(
        CourtEvent.objects.filter(
            agency=agency, case__in=cases, status__in=UPCOMING, scheduled_at__gte=since
        )
        .order_by("scheduled_at", "pk")
        .distinct()
    )
