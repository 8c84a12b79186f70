"""Who holds a case: giving it to a specialist, or to nobody."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from haven.agencies.models import Membership
from haven.agencies.roles import Perm
from haven.audit.models import AuditAction
from haven.audit.services import audit_record
from haven.cases import events, signals
from haven.cases.models import (
    Assignment,
    Case,
)
from haven.cases.services.checks import check_assignee, too_long_message
from haven.core.actor import Actor


def case_assign(*, actor: Actor, case: Case, assignee: Membership | None, reason: str = "") -> Case:
    """Give the case to a specialist (or to nobody), closing the previous assignment.

    Supervisors and coordinators assign anyone; a specialist may only take an unassigned
    case for themselves. Closed cases are not reassigned: reopen first.
    """
    actor.require_own(case)
    if not actor.has(Perm.CASE_ASSIGN):
        taking_unassigned = (
            case.assigned_to_id is None
            and assignee is not None
            and assignee == actor.membership
            and actor.has(Perm.CASE_WORK)
        )
        if not taking_unassigned:
            raise PermissionDenied("Only a supervisor can reassign a case.")
    if not case.is_open:
        raise ValidationError(gettext("This case is closed. Reopen it before assigning it."))
    reason = reason.strip()
    if too_long := too_long_message(Assignment, "reason", reason):
        raise ValidationError({"reason": too_long})
    check_assignee(actor, assignee)
    if assignee == case.assigned_to:
        return case
    previous = case.assigned_to.display_name if case.assigned_to else "nobody"
    now = timezone.now()
    with transaction.atomic():
        Assignment.objects.filter(case=case, ended_at__isnull=True).update(ended_at=now)
        if assignee is not None:
            Assignment.objects.create(
                agency=case.agency,
                case=case,
                assignee=assignee,
                assigned_by=actor.membership,
                reason=reason,
                started_at=now,
            )
        case.assigned_to = assignee
        case.save(update_fields=["assigned_to", "updated_at"])
        events.case_assigned(actor, case, previous=previous, reason=reason)
        audit_record(
            actor=actor,
            action=AuditAction.CASE_ASSIGN,
            obj=case,
            reason=reason,
            details={"to": assignee.pk if assignee else None},
        )
        if assignee is not None:
            signals.case_assigned.publish(sender=Case, case_id=case.pk, assignee_id=assignee.pk)
    return case
