"""The case page's services section, loaded here so the cases app's view needs no change:
`{% case_services case request.actor %}` (in assistance/_case_section.html)."""

from django import template
from django.utils import timezone

from haven.agencies.roles import Perm
from haven.assistance import catalog, selectors
from haven.assistance.services import may_remove

register = template.Library()

# The newest entries shown on the case page; the rest are one link away.
SECTION_LIMIT = 10


@register.inclusion_tag("assistance/_services.html", takes_context=True)
def case_services(context, case, actor):
    """The services given on the case (newest first), the one-tap buttons and the "More…" form.

    After an htmx post the view passes `service_form` (with its errors) and `service_done` (what
    was recorded) in the context; on the case page itself neither is set, and the "More…" form
    loads when it is opened (its fields and funding sources cost every view of the page).
    """
    # One more than shown says whether there are more, without counting them (a query).
    rows = list(selectors.services_for_case(actor, case)[: SECTION_LIMIT + 1])
    can_work = actor.has(Perm.CASE_WORK)
    now = timezone.now()
    return {
        "case": case,
        "services": [(row, may_remove(actor, row, now=now)) for row in rows[:SECTION_LIMIT]],
        "more": len(rows) > SECTION_LIMIT,
        "quick": [(code, short, catalog.sub_service(code).label) for code, short in catalog.QUICK],
        "can_work": can_work,
        "form": context.get("service_form") if can_work else None,
        "done": context.get("service_done"),
        "csrf_token": context.get("csrf_token"),
        "request": context.get("request"),
    }
