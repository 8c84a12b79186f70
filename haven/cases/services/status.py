"""A case's status: the allowed moves, the reasons each needs, and the supervisor's review of a
closing."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from haven.agencies.roles import Perm
from haven.audit.models import AuditAction
from haven.audit.services import audit_record
from haven.cases import events, signals
from haven.cases.models import (
    OPEN_STATUSES,
    Case,
    CaseStatus,
    CloseReason,
    ClosureReview,
)
from haven.cases.services.checks import too_long_message
from haven.core.actor import Actor
from haven.lib.languages import in_english

# Which status may follow which; the ended ones reopen to active.
ALLOWED_MOVES = {
    CaseStatus.NEW: {
        CaseStatus.ACTIVE,
        CaseStatus.CLOSED,
        CaseStatus.DECLINED,
        CaseStatus.UNABLE_TO_CONTACT,
    },
    CaseStatus.ACTIVE: {CaseStatus.CLOSED, CaseStatus.DECLINED, CaseStatus.UNABLE_TO_CONTACT},
    CaseStatus.CLOSED: {CaseStatus.ACTIVE},
    CaseStatus.DECLINED: {CaseStatus.ACTIVE},
    CaseStatus.UNABLE_TO_CONTACT: {CaseStatus.ACTIVE},
}


STATUS_FIELDS = [
    "status",
    "status_reason",
    "close_reason",
    "closed_at",
    "closure_review",
    "closure_reviewed_by",
    "closure_reviewed_at",
]


def _check_move(case: Case, status: str) -> None:
    if status not in CaseStatus.values:
        raise ValidationError({"status": f"Unknown status {status!r}."})
    if status not in ALLOWED_MOVES[CaseStatus(case.status)]:
        raise ValidationError(
            {
                "status": f"A {case.get_status_display().lower()} case cannot become "
                f"{CaseStatus(status).label.lower()}."
            }
        )


def case_change_status(
    *, actor: Actor, case: Case, status: str, reason: str = "", close_reason: str = ""
) -> Case:
    """Move the case to another status, keeping the whole history on the timeline.

    Closing needs a close reason (CloseReason; without one it is "other", which needs words);
    declining and "unable to
    contact" need words, and the latter at least one logged attempt. Reopening needs words and
    clears the end. Where the agency wants closures reviewed, an advocate's ending waits for a
    supervisor (case_closure_review); a supervisor's does not.
    """
    actor.require(Perm.CASE_WORK)
    actor.require_own(case)
    _check_move(case, status)
    reason = reason.strip()
    if status == CaseStatus.CLOSED and not close_reason:
        close_reason = CloseReason.OTHER  # the words alone say why
    ending = status not in OPEN_STATUSES
    reopening = status in OPEN_STATUSES and case.status not in OPEN_STATUSES
    _check_status_reason(case, status, reason, close_reason)
    if status == CaseStatus.CLOSED and not reason:
        reason = in_english(lambda: CloseReason(close_reason).label)
    if too_long := too_long_message(Case, "status_reason", reason):
        raise ValidationError({"reason": too_long})
    review = ClosureReview.NONE
    if ending and case.agency.closure_review_required and not actor.has(Perm.CASE_ASSIGN):
        review = ClosureReview.PENDING
    previous, previous_status = in_english(case.get_status_display), case.status
    with transaction.atomic():
        case.status = status
        case.status_reason = reason
        case.close_reason = close_reason if status == CaseStatus.CLOSED else ""
        case.closed_at = timezone.now() if ending else None
        case.closure_review = review
        case.closure_reviewed_by, case.closure_reviewed_at = None, None
        case.save(update_fields=[*STATUS_FIELDS, "updated_at"])
        events.status_changed(actor, case, previous=previous)
        audit_record(
            actor=actor,
            action=AuditAction.CASE_STATUS,
            obj=case,
            reason=reason,
            # Codes at both ends (the timeline shows the labels).
            details={
                "from": previous_status,
                "to": status,
                "close_reason": case.close_reason,
                "review": review,
                "reopened": reopening,
            },
        )
        # Only a final closing is announced: one waiting for a supervisor's review is
        # announced when the review approves it (case_closure_review).
        if status == CaseStatus.CLOSED and review == ClosureReview.NONE:
            signals.case_closed.publish(sender=Case, case_id=case.pk)
    return case


def _check_status_reason(case: Case, status: str, reason: str, close_reason: str) -> None:
    if status == CaseStatus.CLOSED:
        if close_reason not in CloseReason.values:
            raise ValidationError({"close_reason": gettext("Choose why the case is closed.")})
        if close_reason == CloseReason.OTHER and not reason:
            raise ValidationError({"reason": gettext("Say why the case is closed.")})
    elif close_reason:
        raise ValidationError({"close_reason": gettext("A close reason goes with closing only.")})
    elif status not in OPEN_STATUSES and not reason:
        raise ValidationError({"reason": gettext("Say why the case ends.")})
    elif status in OPEN_STATUSES and case.status not in OPEN_STATUSES and not reason:
        raise ValidationError({"reason": gettext("Say why the case reopens.")})
    if status == CaseStatus.UNABLE_TO_CONTACT and not case.contacts.exists():
        raise ValidationError(
            {
                "status": gettext(
                    "Log the attempts to reach the victim first: a case is unable to contact "
                    "only after trying."
                )
            }
        )


def case_closure_review(*, actor: Actor, case: Case, approve: bool, note: str = "") -> Case:
    """A supervisor's look at an advocate's closing: approve it, or return the case to the
    specialist (it reopens as active, with the note saying what is left to do)."""
    actor.require(Perm.CASE_ASSIGN)
    actor.require_own(case)
    if case.closure_review != ClosureReview.PENDING:
        raise ValidationError(
            gettext("This closing is not waiting for a review (reload the page).")
        )
    note = note.strip()
    if not approve and not note:
        raise ValidationError(
            {"note": gettext("Say what is left to do before the case can close.")}
        )
    if too_long := too_long_message(Case, "status_reason", note):
        raise ValidationError({"note": too_long})
    previous = in_english(case.get_status_display)
    with transaction.atomic():
        claimed = Case.objects.filter(pk=case.pk, closure_review=ClosureReview.PENDING).update(
            closure_review=ClosureReview.APPROVED if approve else ClosureReview.NONE,
            closure_reviewed_by=actor.membership,
            closure_reviewed_at=timezone.now(),
        )
        if not claimed:
            raise ValidationError(gettext("Someone else reviewed this closing first."))
        case.refresh_from_db()
        if approve:
            events.closure_reviewed(actor, case, summary="Closing approved")
            if case.status == CaseStatus.CLOSED:
                signals.case_closed.publish(sender=Case, case_id=case.pk)
        else:
            case.status, case.status_reason, case.close_reason = CaseStatus.ACTIVE, note, ""
            case.closed_at = None
            case.save(update_fields=[*STATUS_FIELDS, "updated_at"])
            events.closure_reviewed(actor, case, summary="Returned to the specialist")
            events.status_changed(actor, case, previous=previous)
        audit_record(
            actor=actor,
            action=AuditAction.CASE_CLOSURE_REVIEW,
            obj=case,
            reason=note,
            details={"approved": approve},
        )
    return case
