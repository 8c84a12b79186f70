"""`{% case_rows cases show_assignee show_next %}`: a table of cases' rows (cases.rows), their
HTML written in one pass (cases.row_html)."""

from django import template

from haven.cases.row_html import rows_html
from haven.cases.rows import ListedCase
from haven.cases.rows import case_rows as build_rows

register = template.Library()


@register.simple_tag(takes_context=True)
def case_rows(context, cases, show_assignee=False, show_next=False):
    """The `<tr>` of each case; the first-contact goal is the signed-in actor's agency's (every
    case a page lists is of that agency), `now` the page's when it has one."""
    goal = context["actor"].agency.first_contact_goal_hours
    # The case list hands over a page of cases; the queue and the caseload, ListedCases.
    listed = [c if isinstance(c, ListedCase) else ListedCase.of(c) for c in cases]
    rows = build_rows(listed, goal_hours=goal, now=context.get("now"))
    return rows_html(rows, assignee=bool(show_assignee), next_action=bool(show_next))
