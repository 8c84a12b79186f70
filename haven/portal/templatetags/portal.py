"""The case page's "Status page" section: `{% case_portal_section case request.actor %}`
(in portal/_case_section.html, included by the case page), so the cases app imports nothing."""

from django import template

from haven.agencies.roles import Perm
from haven.justice.selectors import custody_events_of
from haven.justice.services import victims_of
from haven.portal.forms import OfferForm, ReleaseForm
from haven.portal.selectors_staff import pages_of

register = template.Library()


@register.inclusion_tag("portal/_section.html", takes_context=True)
def case_portal_section(context, case, actor):
    if not actor.has(Perm.CASE_VIEW):
        return {"hidden": True}
    pages = pages_of(case)
    custody = custody_events_of(case)
    can_work = actor.has(Perm.CASE_WORK) and case.is_open
    have = {p.person_id for p in pages if p.live}
    people = [p for p in victims_of(case) if p.pk not in have]
    for page in pages:
        if page.live and can_work:
            page.form = ReleaseForm(
                initial={
                    "dob_allowed": page.dob_allowed,
                    "show_court": page.show_court,
                    "show_compensation": page.show_compensation,
                    "show_referrals": page.show_referrals,
                    "next_steps": page.next_steps,
                    "custody": page.released_custody,
                },
                custody_events=custody,
                prefix=f"p{page.pk}",
            )
    return {
        "case": case,
        "pages": pages,
        "can_work": can_work,
        "offer_form": OfferForm(people=people, custody_events=custody) if people else None,
        "csrf_token": context.get("csrf_token"),
    }
