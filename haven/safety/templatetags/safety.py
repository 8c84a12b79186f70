"""The case page's safety plan section, loaded here so the cases app's view needs no change:
`{% case_safety_plans case request.actor %}` (in safety/_case_section.html)."""

from django import template

from haven.agencies.roles import Perm
from haven.safety.selectors import plans_on_case

register = template.Library()


@register.inclusion_tag("safety/_section.html")
def case_safety_plans(case, actor):
    """For each person the case can hold a plan for: whether there is one, its revision, when
    and by whom it was last revised, and the links to it. Never the plan's text."""
    if actor is None or not actor.has(Perm.CASE_VIEW):
        return {"rows": [], "hidden": True}
    return {
        "case": case,
        "rows": plans_on_case(actor, case),
        "can_work": actor.has(Perm.CASE_WORK) and case.is_open,
    }
