"""Who a pending follow-up is with: a supervisor gives it to another specialist, and a member
who leaves hands theirs over."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext

from haven.agencies.models import Membership
from haven.agencies.roles import CASEWORKER_ROLES, Perm
from haven.audit.models import AuditAction
from haven.audit.services import audit_record
from haven.core.actor import Actor
from haven.followup import events
from haven.followup.models import FollowUp
from haven.followup.services.plans import CLOSED
from haven.lib.languages import in_english


def followup_reassign(*, actor: Actor, followup: FollowUp, assignee: Membership | None) -> FollowUp:
    """Give a pending follow-up to another specialist; None (or the case's own specialist)
    gives it back to whoever holds the case. Refused without case.assign (supervisors and
    coordinators), for another agency's follow-up, one already recorded, on a closed case, and
    for anyone but an active specialist of the agency."""
    if not actor.has(Perm.CASE_ASSIGN):
        raise PermissionDenied("Only a supervisor can reassign a follow-up.")
    actor.require_own(followup)
    case = followup.case
    if not case.is_open:
        raise ValidationError(CLOSED)
    if followup.done_at is not None:
        raise ValidationError(gettext("This follow-up was already recorded."))
    if assignee is not None and (
        assignee.agency_id != actor.agency.pk
        or not assignee.is_active
        or assignee.role not in CASEWORKER_ROLES
    ):
        raise ValidationError({"assignee": gettext("Choose an active specialist of this agency.")})
    if assignee is not None and assignee.pk == case.assigned_to_id:
        assignee = None
    with transaction.atomic():
        _followup_give(actor, followup, assignee, previous=followup.assignee_id)
    return followup


def _followup_give(
    actor: Actor, followup: FollowUp, assignee: Membership | None, *, previous, reason=None
) -> None:
    """Save the follow-up's new assignee (None: whoever holds the case), note it on the case's
    history and audit it; inside the caller's transaction."""
    case = followup.case
    followup.assignee = assignee
    followup.save(update_fields=["assignee"])
    holder = followup.specialist
    name = holder.display_name if holder else "nobody (the case is unassigned)"
    events.follow_up(
        actor,
        case,
        f"{in_english(followup.get_kind_display)} of {events.when(case, followup.due_at)} "
        f"now with {name}",
    )
    details = {"case": case.pk, "from": previous, "to": assignee.pk if assignee else None}
    if reason is not None:
        details["reason"] = reason
    audit_record(actor=actor, action=AuditAction.FOLLOWUP_REASSIGN, obj=followup, details=details)


def followups_hand_over(
    *, actor: Actor, member: Membership, to: Membership | None, reason: str = ""
) -> int:
    """A member leaves (accounts' deactivation calls this inside its transaction): the pending
    follow-ups a supervisor gave them by name go to `to`, or, with nobody chosen, back to
    whoever holds the case (the unassigned queue when the case went there too). Follow-ups
    without a named assignee go with their case already. Returns how many were handed over.

    Refused without case.assign, for another agency's member, and for a `to` who is not an
    active specialist of the agency. Each one is audited and noted on its case's history."""
    actor.require(Perm.CASE_ASSIGN)
    actor.require_own(member)
    if to is not None and (
        to.agency_id != actor.agency.pk or not to.is_active or to.role not in CASEWORKER_ROLES
    ):
        raise ValidationError({"cases_to": gettext("Choose an active specialist of this agency.")})
    moved = 0
    with transaction.atomic():
        for followup in FollowUp.objects.filter(
            agency=actor.agency, assignee=member, done_at__isnull=True
        ).select_related("case__assigned_to__user"):
            keep = to is None or to.pk == followup.case.assigned_to_id
            _followup_give(actor, followup, None if keep else to, previous=member.pk, reason=reason)
            moved += 1
    return moved
