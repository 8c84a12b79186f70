"""Reading call-outs and anonymous contacts, scoped to what the actor may see."""

from __future__ import annotations

from django.db.models import Case as DbCase
from django.db.models import IntegerField, Q, QuerySet, Value, When

from haven.agencies.roles import Perm
from haven.cases.selectors import cases_visible_to
from haven.core.actor import Actor
from haven.crisis.models import OPEN_STATUSES, AnonymousContact, CallOut, CallOutStatus

LIST_LIMIT = 200


def callouts_visible_to(actor: Actor) -> QuerySet[CallOut]:
    """The agency's call-outs for members who read cases: those with no case yet (every
    specialist may answer one) and those on a case the actor may read. None for others."""
    if not actor.has(Perm.CASE_VIEW):
        return CallOut.objects.none()
    return CallOut.objects.filter(agency=actor.agency).filter(
        Q(case__isnull=True) | Q(case__in=cases_visible_to(actor))
    )


def callout_list(actor: Actor) -> list[CallOut]:
    """Open call-outs first (the longest waiting on top: not yet dispatched, then on the way,
    then on scene), then the latest closed ones; LIST_LIMIT at most."""
    rank = DbCase(
        When(status=CallOutStatus.REQUESTED, then=Value(0)),
        When(status=CallOutStatus.DISPATCHED, then=Value(1)),
        When(status=CallOutStatus.ARRIVED, then=Value(2)),
        default=Value(3),
        output_field=IntegerField(),
    )
    rows = (
        callouts_visible_to(actor)
        .select_related("case", "district")
        .prefetch_related("responders__user")
        .annotate(rank=rank)
        .order_by("rank", "-requested_at", "-id")[:LIST_LIMIT]
    )
    rows = list(rows)
    # Open ones oldest first: the one waiting longest is the one to act on.
    open_rows = sorted((r for r in rows if r.status in OPEN_STATUSES), key=_open_key)
    return open_rows + [r for r in rows if r.status not in OPEN_STATUSES]


def _open_key(callout: CallOut):
    return (callout.rank, callout.requested_at)


def anonymous_contacts(actor: Actor) -> QuerySet[AnonymousContact]:
    """The agency's anonymous contacts for members with case.work (who record them)."""
    if not actor.has(Perm.CASE_WORK):
        return AnonymousContact.objects.none()
    return AnonymousContact.objects.filter(agency=actor.agency).select_related("recorded_by__user")


def anonymous_contact_count(agency, start, end) -> int:
    """Anonymous contacts dated from `start` to `end` (dates, both included): for reports."""
    return AnonymousContact.objects.filter(
        agency=agency, contact_date__gte=start, contact_date__lte=end
    ).count()
