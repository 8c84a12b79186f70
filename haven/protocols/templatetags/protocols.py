"""The case page's protocols section, loaded by its own include so the cases view needs no
change: `{% case_protocols_section case request.actor %}` (protocols/_case_section.html)."""

from django import template
from django.urls import reverse
from django.utils import timezone

from haven.agencies.roles import Perm
from haven.protocols import selectors

register = template.Library()


@register.inclusion_tag("protocols/_section.html", takes_context=True)
def case_protocols_section(context, case, actor):
    """Each running protocol's checklist; for those who work an open case, the buttons to
    check off or skip a step and to start another protocol by hand (its choice of templates
    loads when opened: protocols:case_start)."""
    can_work = actor.has(Perm.CASE_WORK) and case.is_open
    return {
        "case": case,
        "checklists": selectors.case_checklists(case),
        "can_work": can_work,
        "now": timezone.now(),
        "here": reverse("cases:detail", args=[case.pk]) + "#protocols",
        "csrf_token": context.get("csrf_token"),
        "request": context.get("request"),
    }


@register.filter
def role_label(role: str) -> str:
    from haven.protocols.validation import ROLES

    return ROLES.get(role, role)
