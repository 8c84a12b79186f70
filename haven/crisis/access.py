from django.http import Http404

from haven.agencies.roles import Perm
from haven.audit.models import AuditAction
from haven.audit.services import audit_record
from haven.core.actor import Actor
from haven.crisis.models import CallOut
from haven.crisis.selectors import callouts_visible_to


def access_callout(actor: Actor, callout_id, *, write: bool = False) -> CallOut:
    """The call-out, if the actor may read it (and work it, with write=True).

    Missing, another agency's, or on a case outside the actor's caseload: all the same 404.
    Officers, analysts and auditors read no call-out (no case.view). A reader without case.work
    asking to write gets 403. A read is audited here; a write by the service that follows.
    """
    try:
        callout = (
            callouts_visible_to(actor)
            .select_related("agency", "case", "district", "requested_by_member")
            .get(pk=int(callout_id))
        )
    except (CallOut.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404("No such call-out.") from None
    if write:
        actor.require(Perm.CASE_WORK)
    else:
        audit_record(actor=actor, action=AuditAction.CALLOUT_VIEW, obj=callout)
    return callout
