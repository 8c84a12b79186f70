from django.http import Http404

from haven.agencies.roles import Perm
from haven.assistance.models import ServiceProvided
from haven.audit.models import AuditAction
from haven.audit.services import audit_record
from haven.cases.selectors import cases_visible_to
from haven.core.actor import Actor


def access_service(actor: Actor, service_id, *, write: bool = False) -> ServiceProvided:
    """A service entry, not removed, on a case the actor may work.

    Missing, removed, another agency's, or on a case outside the actor's caseload: all the
    same 404, so a probe learns nothing. A reader without case.work gets 403. Showing the entry
    (write=False) is audited as a read of its case; with write=True the service that follows
    audits the change. Whether this actor may remove the entry is the service's question
    (assistance.services.may_remove).
    """
    try:
        service = (
            ServiceProvided.objects.filter(
                agency=actor.agency,
                removed_at__isnull=True,
                case__in=cases_visible_to(actor),
            )
            .select_related("case", "person", "provided_by__user")
            .get(pk=int(service_id))
        )
    except (ServiceProvided.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404("No such service entry.") from None
    actor.require(Perm.CASE_WORK)
    if not write:
        audit_record(actor=actor, action=AuditAction.CASE_VIEW, obj=service.case)
    return service
