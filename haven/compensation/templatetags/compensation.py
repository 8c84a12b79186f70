"""The case page's compensation section (`{% case_compensation case request.actor %}`, in
compensation/_case_section.html), so the cases app's view needs no change, and a small
lookup filter for the program's labels."""

from django import template

from haven.agencies.roles import Perm
from haven.compensation.selectors import claims_on_case, restitution_on_case

register = template.Library()


@register.filter
def dollars(amount) -> str:
    """$1,234.50; an em dash for no amount."""
    return "—" if amount is None or amount == "" else f"${amount:,.2f}"


@register.filter
def label_in(code: str, labels: dict) -> str:
    """`claim.crime_type|label_in:o.program.crime_types`: the label, else the code."""
    return labels.get(code, code) if code else ""


@register.inclusion_tag("compensation/_section.html")
def case_compensation(case, actor):
    """The case's claims (status, next deadline, missing documents) and restitution orders
    (amount, balance), with links; nothing for those who cannot read the case."""
    if actor is None or not actor.has(Perm.CASE_VIEW):
        return {"hidden": True}
    return {
        "case": case,
        "claims": claims_on_case(actor, case),
        "orders": restitution_on_case(actor, case),
        "can_work": actor.has(Perm.CASE_WORK) and case.is_open,
    }
