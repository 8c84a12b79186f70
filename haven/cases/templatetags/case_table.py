"""`{% case_rows cases as rows %}`: a table's rows worked out in Python (cases.rows)."""

from django import template

from haven.cases.rows import ListedCase
from haven.cases.rows import case_rows as build_rows

register = template.Library()


@register.simple_tag(takes_context=True)
def case_rows(context, cases):
    """The rows of these cases; the first-contact goal is the signed-in actor's agency's (every
    case a page lists is of that agency), `now` the page's when it has one."""
    goal = context["actor"].agency.first_contact_goal_hours
    # The case list hands over a page of cases; the queue and the caseload, ListedCases.
    listed = [c if isinstance(c, ListedCase) else ListedCase.of(c) for c in cases]
    return build_rows(listed, goal_hours=goal, now=context.get("now"))
