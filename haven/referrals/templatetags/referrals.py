"""The case page's partner referral section, loaded here so the cases app's view needs no
change: `{% case_referrals_section case request.actor %}` (in referrals/_case_section.html)."""

from django import template

from haven.agencies.roles import Perm
from haven.referrals import selectors

register = template.Library()


@register.inclusion_tag("referrals/_section.html")
def case_referrals_section(case, actor):
    """The case's referrals with their status, dates and the partner's answer, and "Refer to a
    partner" for those who work an open case."""
    return {
        "case": case,
        "referrals": selectors.case_referrals(actor, case),
        "can_work": actor.has(Perm.CASE_WORK) and case.is_open,
    }
