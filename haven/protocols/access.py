"""The one way to fetch a protocol record for an actor: 404 for missing and not-yours alike."""

from django.http import Http404

from haven.agencies.roles import Perm
from haven.cases.selectors import cases_visible_to
from haven.core.actor import Actor
from haven.protocols.models import CaseStep, ProtocolTemplate


def access_step(actor: Actor, step_id) -> CaseStep:
    """A step on a case the actor may see (403 without case.work, since it is for changing)."""
    try:
        step = (
            CaseStep.objects.filter(case__in=cases_visible_to(actor))
            .select_related("case", "protocol")
            .get(pk=int(step_id))
        )
    except (CaseStep.DoesNotExist, ValueError, TypeError):
        raise Http404("No such step.") from None
    actor.require(Perm.CASE_WORK)
    return step


def access_template(actor: Actor, template_id) -> ProtocolTemplate:
    """A template of the actor's agency; anything else is 404."""
    try:
        return ProtocolTemplate.objects.get(agency=actor.agency, pk=int(template_id))
    except (ProtocolTemplate.DoesNotExist, ValueError, TypeError):
        raise Http404("No such protocol.") from None
