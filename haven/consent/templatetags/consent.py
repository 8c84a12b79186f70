"""The case page's releases section, loaded here so the cases app's view needs no change:
`{% case_releases case request.actor %}` (in consent/_case_section.html)."""

from django import template
from django.utils import timezone

from haven.agencies.roles import Perm
from haven.consent.selectors import expiring_count, releases_on_case, settings_for

register = template.Library()


@register.inclusion_tag("consent/_section.html")
def case_releases(case, actor):
    """Each person on the case and their releases with their state; never notes."""
    if actor is None or not actor.has(Perm.CASE_VIEW):
        return {"rows": [], "hidden": True}
    return {
        "case": case,
        "rows": releases_on_case(actor, case),
        "now": timezone.now(),
        "soon": settings_for(actor.agency).expiring_window_days,
        "can_work": actor.has(Perm.CASE_WORK) and case.is_open,
    }


@register.simple_tag
def releases_expiring_count(actor) -> int:
    """How many releases the actor should renew soon (for a caseload or digest badge)."""
    if actor is None or not actor.has(Perm.CASE_VIEW):
        return 0
    return expiring_count(actor)


@register.filter
def release_state(release, now=None) -> str:
    """ "In force", "Expires in 3 days", "Expired", "Revoked"."""
    now = now or timezone.now()
    state = release.state(now)
    if state == "revoked":
        return "Revoked"
    if state == "expired":
        return "Expired"
    days = release.days_left(now)
    if days < 1:
        return "Expires today"
    return f"In force · expires in {days} day{'s' if days != 1 else ''}"
