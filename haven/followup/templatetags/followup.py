"""The case page's follow-up section, loaded here so the cases app's view needs no change:
`{% case_followup_section case request.actor %}` (in followup/_case_section.html)."""

from django import template
from django.urls import reverse
from django.utils import timezone

from haven.agencies.roles import Perm
from haven.followup import selectors
from haven.followup.models import PlanStatus

register = template.Library()


@register.inclusion_tag("followup/_section.html", takes_context=True)
def case_followup_section(context, case, actor):
    """The plan, the next check-in, the court appointments ahead, the last few recorded, and
    (for those who work cases, on an open case) the forms to change them, loaded when opened."""
    data = selectors.case_followup(case)
    can_work = actor.has(Perm.CASE_WORK) and case.is_open
    return {
        "case": case,
        "data": data,
        "plan": data.plan,
        "active": data.plan is not None and data.plan.status == PlanStatus.ACTIVE,
        "can_work": can_work,
        "can_assign": actor.has(Perm.CASE_ASSIGN) and case.is_open,
        # The forms load when their <details> is opened (the settings' default time and the
        # matching rule are read then, and no widget is built on every view).
        "plan_url": reverse("followup:plan", args=[case.pk]),
        "schedule_url": reverse("followup:new", args=[case.pk]),
        "now": timezone.now(),
        # Back to the case page, also when an htmx post elsewhere rendered this section.
        "here": reverse("cases:detail", args=[case.pk]) + "#follow-up",
        "csrf_token": context.get("csrf_token"),
        "request": context.get("request"),
    }


@register.filter
def holder(followup) -> str:
    """Who does the follow-up, as a name."""
    member = followup.specialist
    return member.display_name if member else "Unassigned"
