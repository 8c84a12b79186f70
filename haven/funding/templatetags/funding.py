"""The case page's emergency assistance panel (`{% case_emergency case request.actor %}`, in
funding/_case_section.html), so the cases app's view needs no change."""

from django import template

from haven.agencies.roles import Perm
from haven.funding import emergency, selectors
from haven.funding.models import RequestStatus

register = template.Library()


@register.inclusion_tag("funding/_section.html", takes_context=True)
def case_emergency(context, case, actor):
    """The case's requests (newest first) with the buttons this actor may use, and the
    button to request; nothing for those who cannot read the case."""
    if actor is None or not actor.has(Perm.CASE_VIEW):
        return {"hidden": True}
    rows = [
        (
            found,
            found.status == RequestStatus.REQUESTED and emergency.may_decide(actor, found),
            found.status == RequestStatus.APPROVED and actor.has(Perm.CASE_ASSIGN),
        )
        for found in selectors.requests_for_case(actor, case)
    ]
    return {
        "case": case,
        "rows": rows,
        "can_request": actor.has(Perm.CASE_WORK) and case.is_open,
        "has_funds": selectors.funds_for(actor.agency).exists(),
        # A receipt is a privileged document: a volunteer sees that there is one, no link.
        "can_read_receipts": actor.has(Perm.NOTE_PRIVILEGED),
        "csrf_token": context.get("csrf_token"),
    }
