"""The case page's police-investigation panel, loaded here so the cases app's view needs no
change: `{% case_investigation case request.actor %}` (in incidents/_case_section.html, which
the case page loads when its panel is opened)."""

from django import template

from haven.agencies.roles import Perm
from haven.incidents.forms import InvestigationForm
from haven.incidents.investigation import incident_for_case

register = template.Library()


@register.inclusion_tag("incidents/_investigation.html", takes_context=True)
def case_investigation(context, case, actor):
    """The report's latest investigation status and detective, and (for those who work cases)
    the form to set them. The case page offers it as a panel when the case has a report
    number; whether that report was imported is known only here."""
    if actor is None or not actor.has(Perm.CASE_VIEW):
        return {"hidden": True}
    incident = incident_for_case(case)
    if incident is None:
        return {"case": case, "incident": None}
    form = None
    if actor.has(Perm.CASE_WORK):
        form = InvestigationForm(
            initial={
                "investigation_status": incident.investigation_status,
                "detective": incident.detective,
            }
        )
    return {
        "case": case,
        "incident": incident,
        "form": form,
        "csrf_token": context.get("csrf_token"),
    }
