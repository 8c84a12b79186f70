"""`{% case_rows cases show_assignee as rows %}`: a table's rows worked out in Python
(cases.rows)."""

from django import template

from haven.cases.rows import case_rows as build_rows

register = template.Library()


@register.simple_tag(takes_context=True)
def case_rows(context, cases, show_assignee=False):
    """The rows of these cases; the first-contact goal is the signed-in actor's agency's (every
    case a page lists is of that agency), `now` the page's when it has one."""
    goal = context["actor"].agency.first_contact_goal_hours
    return build_rows(cases, goal_hours=goal, assignee=bool(show_assignee), now=context.get("now"))
