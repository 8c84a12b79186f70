"""Agency B's protocol objects for the tenant isolation walk (haven/core/tests)."""

from haven.core.actor import Actor
from haven.protocols.services import protocol_templates_start, start


def other_agency_protocols(cast) -> dict:
    """B's elder-abuse template and a step of it running on B's case."""
    system = Actor.system(cast.agency_b, "pytest")
    [template] = [t for t in protocol_templates_start(actor=system) if t.key == "elder-abuse"]
    protocol = start(system, cast.case_b, template, "hand")
    return {"template_id": template.pk, "step_id": protocol.steps.first().pk}
