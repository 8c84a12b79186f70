from django.http import Http404

from haven.agencies.roles import Perm
from haven.cases.selectors import cases_visible_to
from haven.core.actor import Actor
from haven.funding.models import EmergencyRequest, FundingSource


def access_request(actor: Actor, request_id) -> EmergencyRequest:
    """An emergency assistance request on a case the actor may read.

    Missing, another agency's, or on a case outside the actor's caseload: the same 404, so a
    probe learns nothing. A member without case.view (an officer, an analyst) gets 404 too.
    Who may approve or pay is the services' question (funding.emergency).
    """
    if not actor.has(Perm.CASE_VIEW):
        raise Http404("No such request.")
    try:
        return (
            EmergencyRequest.objects.filter(agency=actor.agency, case__in=cases_visible_to(actor))
            .select_related("case", "fund__source", "requested_by__user")
            .get(pk=int(request_id))
        )
    except (EmergencyRequest.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404("No such request.") from None


def access_source(actor: Actor, source_id) -> FundingSource:
    """A funding source of the actor's agency; 404 for a missing or another agency's one."""
    try:
        return FundingSource.objects.get(agency=actor.agency, pk=int(source_id))
    except (FundingSource.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404("No such funding source.") from None
