from django.http import Http404

from haven.agencies.roles import Perm
from haven.audit.models import AuditAction
from haven.audit.services import audit_record
from haven.cases.selectors import cases_visible_to
from haven.core.actor import Actor
from haven.followup.models import FollowUp, FollowUpRule


def access_followup(actor: Actor, followup_id, *, write: bool = False) -> FollowUp:
    """A pending follow-up on a case the actor may read.

    Missing, already recorded, another agency's, or on a case outside the actor's caseload:
    all the same 404, so a probe learns nothing. A reader without case.work gets 403. Showing
    it (write=False) is audited as a read of its case; with write=True the service that follows
    audits the change. Whether the case is still open is the service's question.
    """
    try:
        followup = (
            FollowUp.objects.filter(
                agency=actor.agency, done_at__isnull=True, case__in=cases_visible_to(actor)
            )
            .select_related("case__agency", "case__assigned_to__user", "assignee__user")
            .get(pk=int(followup_id))
        )
    except (FollowUp.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404("No such follow-up.") from None
    actor.require(Perm.CASE_WORK)
    if not write:
        audit_record(actor=actor, action=AuditAction.CASE_VIEW, obj=followup.case)
    return followup


def access_followup_rule(actor: Actor, rule_id) -> FollowUpRule:
    """One of the agency's follow-up rules, for a member who configures the agency; another
    agency's rule or a missing id is a 404, and anyone else gets 403."""
    actor.require(Perm.AGENCY_CONFIGURE)
    try:
        return FollowUpRule.objects.filter(agency=actor.agency).get(pk=int(rule_id))
    except (FollowUpRule.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404("No such rule.") from None
