"""The case page's lethality section loads its own data, so cases.views need not know of it."""

from django import template

from haven.agencies.roles import Perm
from haven.lethality.selectors import case_screens

register = template.Library()


@register.inclusion_tag("lethality/_screens.html", takes_context=True)
def lethality_section(context, case):
    """The case's screens and the link to record one. Only rendered inside the case page, whose
    view has already checked (and audited) that the reader may read the case."""
    actor = context.get("actor")
    return {
        "case": case,
        "screens": case_screens(case),
        "can_record": actor is not None and actor.has(Perm.CASE_WORK) and case.is_open,
    }
