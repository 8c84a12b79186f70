"""Court accompaniment follows its court event. When the court moves a hearing, the
accompaniment tied to it (FollowUp.court_event_id) moves to the new time; if the new time
clashes with another appointment of the same specialist, it still moves (the hearing is when it
is) and is flagged with what it clashes with, for the specialist to rearrange or hand over.
When the court cancels a hearing, its accompaniment is cancelled.

haven.justice calls this inside court_event_move and court_event_cancel, in their transaction,
so an accompaniment never disagrees with its hearing. Justice sits above follow-up in the
layers: it calls down, and follow-up never imports justice (docs/architecture.md).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from haven.audit.models import AuditAction
from haven.audit.services import audit_record
from haven.core.actor import Actor
from haven.followup import events
from haven.followup.models import FollowUp, FollowUpKind, FollowUpOutcome

# An appointment of the same specialist closer than this to the new time is a clash: a hearing,
# with the wait, the victim's questions and the ride, takes a couple of hours.
CLASH_WINDOW = timedelta(hours=2)


def _clash(followup: FollowUp, due_at: datetime) -> str:
    """What the moved appointment clashes with, in words ("" if nothing)."""
    specialist = followup.specialist
    if specialist is None:
        return ""
    others = (
        FollowUp.objects.filter(
            agency_id=followup.agency_id,
            done_at__isnull=True,
            due_at__gt=due_at - CLASH_WINDOW,
            due_at__lt=due_at + CLASH_WINDOW,
        )
        .exclude(kind=FollowUpKind.CHECK_IN)
        .exclude(pk=followup.pk)
        .select_related("case__assigned_to")
        .order_by("due_at")
    )
    for other in others:
        if other.specialist == specialist:
            return (
                f"{other.get_kind_display()} on case {other.case.number} at "
                f"{events.when(other.case, other.due_at)}"
            )[:200]
    return ""


def pending_accompaniment(court_event_id: int) -> FollowUp | None:
    """The court event's accompaniment still ahead, if one is scheduled."""
    return FollowUp.objects.filter(
        court_event_id=court_event_id, kind=FollowUpKind.COURT, done_at__isnull=True
    ).first()


def accompaniments_follow_court_event(
    *,
    actor: Actor,
    court_event_id: int,
    scheduled_at: datetime | None = None,
    location: str | None = None,
    cancelled: bool = False,
) -> list[FollowUp]:
    """Move (to `scheduled_at`, and to `location` when given) or cancel the pending court
    accompaniments tied to the court event; returns those changed.

    The caller (haven.justice) has checked that the actor may change the court event; this
    refuses only another agency's accompaniments (PermissionDenied), as every service does.
    """
    now = timezone.now()
    changed = []
    with transaction.atomic():
        pending = (
            FollowUp.objects.select_for_update(of=("self",))
            .filter(
                agency=actor.agency,
                court_event_id=court_event_id,
                kind=FollowUpKind.COURT,
                done_at__isnull=True,
            )
            .select_related("case__agency", "case__assigned_to", "assignee")
        )
        for followup in pending:
            actor.require_own(followup)
            if cancelled:
                _cancel(actor, followup, now)
            elif scheduled_at is not None and scheduled_at != followup.due_at:
                _move(actor, followup, scheduled_at, location)
            else:
                continue
            changed.append(followup)
    return changed


def _cancel(actor: Actor, followup: FollowUp, now: datetime) -> None:
    FollowUp.objects.filter(pk=followup.pk).update(
        done_at=now, done_by=actor.membership, outcome=FollowUpOutcome.CANCELED, conflict=""
    )
    followup.done_at, followup.outcome, followup.conflict = now, FollowUpOutcome.CANCELED, ""
    events.follow_up(
        actor,
        followup.case,
        f"Court accompaniment of {events.when(followup.case, followup.due_at)} canceled: "
        "the court cancelled the hearing",
    )
    audit_record(
        actor=actor,
        action=AuditAction.FOLLOWUP_SKIP,
        obj=followup,
        details={"case": followup.case_id, "court_event": followup.court_event_id, "by": "court"},
    )


def _move(actor: Actor, followup: FollowUp, due_at: datetime, location: str | None) -> None:
    old = followup.due_at
    followup.due_at = due_at
    if location:
        followup.location = location[:200]
    followup.conflict = _clash(followup, due_at)
    followup.save(update_fields=["due_at", "location", "conflict"])
    summary = (
        f"Court accompaniment moved with the hearing from {events.when(followup.case, old)} "
        f"to {events.when(followup.case, due_at)}"
    )
    if followup.conflict:
        summary += f"; clashes with {followup.conflict}"
    events.follow_up(actor, followup.case, summary[:300])
    audit_record(
        actor=actor,
        action=AuditAction.FOLLOWUP_SCHEDULE,
        obj=followup,
        details={
            "case": followup.case_id,
            "court_event": followup.court_event_id,
            "moved_from": old.isoformat(),
            "due_at": due_at.isoformat(),
            "conflict": bool(followup.conflict),
        },
    )
