"""The outreach queue: new cases waiting for a first contact, and who should take each one.

Auto-assignment gives a case to the active advocate of its district with the fewest open cases
(any district's advocate when its own has none); a supervisor can always override it.
"""

from django.db import transaction
from django.db.models import Count, Q, QuerySet

from haven.agencies.models import Membership
from haven.agencies.roles import Perm, Role
from haven.cases.models import OPEN_STATUSES, Case, CaseStatus
from haven.cases.selectors import HIGH_PRIORITY_FIRST, cases_visible_to
from haven.cases.services import case_assign
from haven.core.actor import Actor


def outreach_queue(actor: Actor, *, unassigned_only: bool = False) -> QuerySet[Case]:
    """New cases nobody has reached yet, oldest first (the first-contact clock runs from
    received_at), high priority first. The page selects its rows' columns itself
    (cases.rows.listed_cases)."""
    cases = cases_visible_to(actor).filter(status=CaseStatus.NEW, first_contact_at__isnull=True)
    if unassigned_only:
        cases = cases.filter(assigned_to__isnull=True)
    return cases.order_by(HIGH_PRIORITY_FIRST, "received_at", "id")


def advocates_by_load(actor: Actor) -> list[Membership]:
    """The agency's active advocates, each annotated with `open_cases`, least loaded first."""
    return list(
        Membership.objects.filter(agency=actor.agency, is_active=True, role=Role.ADVOCATE)
        .annotate(
            open_cases=Count("assigned_cases", filter=Q(assigned_cases__status__in=OPEN_STATUSES))
        )
        .order_by("open_cases", "id")
    )


def pick_advocate(district_id: int | None, advocates: list[Membership]) -> Membership | None:
    """The least-loaded advocate of the district, else the least-loaded of all. The caller
    adds one to the pick's `open_cases` when it hands a case over."""
    in_district = [a for a in advocates if district_id and a.district_id == district_id]
    pool = in_district or advocates
    return min(pool, key=lambda a: (a.open_cases, a.pk), default=None)


def auto_assign_queue(*, actor: Actor) -> list[Case]:
    """Assign every unassigned new case of the queue; returns the cases assigned.

    Needs case.assign. Loads are counted once and kept up to date as cases are handed out,
    so one run spreads a morning's queue evenly.
    """
    actor.require(Perm.CASE_ASSIGN)
    advocates = advocates_by_load(actor)
    assigned = []
    with transaction.atomic():
        for case in outreach_queue(actor, unassigned_only=True).select_for_update(of=("self",)):
            advocate = pick_advocate(case.district_id, advocates)
            if advocate is None:
                break
            case_assign(
                actor=actor,
                case=case,
                assignee=advocate,
                reason="Auto-assigned by district and caseload",
            )
            advocate.open_cases += 1
            assigned.append(case)
    return assigned
