"""The case page's justice section, loaded here so the cases app's view needs no change:
`{% case_justice_section case request.actor %}` (in justice/_case_section.html)."""

from django import template
from django.utils import timezone

from haven.agencies.roles import Perm
from haven.justice import selectors, services
from haven.justice.forms import (
    CourtEventForm,
    CustodyEventForm,
    HonorForm,
    MoveForm,
    OutcomeForm,
)

register = template.Library()


@register.inclusion_tag("justice/_section.html", takes_context=True)
def case_justice_section(context, case, actor):
    """Court cases, the docket, custody events, and which rights were honored and when. Shown
    only to those who read the case (the case page already refuses everyone else)."""
    if not actor.has(Perm.CASE_VIEW):
        return {"hidden": True}
    court_cases = selectors.court_cases_of(case)
    victims = services.victims_of(case)
    can_work = actor.has(Perm.CASE_WORK) and case.is_open
    return {
        "case": case,
        "court_cases": court_cases,
        "court_events": selectors.court_events_of(case),
        "custody_events": selectors.custody_events_of(case),
        "obligations": selectors.obligations_of(case),
        "victims": victims,
        "requested": selectors.requests_of(case),
        "feeds": selectors.live_feeds_of(case, [p.pk for p in victims]),
        "jurisdictions": services.settings_of(case.agency),
        "can_work": can_work,
        "event_form": CourtEventForm(court_cases=court_cases) if can_work else None,
        "custody_form": CustodyEventForm() if can_work else None,
        "move_form": MoveForm(),
        "outcome_form": OutcomeForm(),
        "honor_form": HonorForm(),
        "now": timezone.now(),
        "csrf_token": context.get("csrf_token"),
        "request": context.get("request"),
    }
