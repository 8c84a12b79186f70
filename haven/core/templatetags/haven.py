from datetime import datetime, timedelta

from django import template
from django.utils import timezone

from haven.lib.phones import display_phone

register = template.Library()


@register.filter
def phone(value: str) -> str:
    return display_phone(value) if value else ""


@register.filter
def duration(delta: timedelta | None) -> str:
    """A span of time as a specialist says it: "3 h 20 min", "2 d 4 h"."""
    if delta is None:
        return ""
    minutes = int(delta.total_seconds() // 60)
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    if days:
        return f"{days} d {hours} h"
    if hours:
        return f"{hours} h {minutes} min"
    return f"{minutes} min"


@register.filter
def since(value: datetime | None) -> timedelta | None:
    return timezone.now() - value if value else None


@register.filter
def until(value: datetime | None) -> timedelta | None:
    return value - timezone.now() if value else None


@register.simple_tag
def first_contact_clock(case) -> dict:
    """How long the victim has waited for a first contact, and whether past the goal."""
    goal = timedelta(hours=case.agency.first_contact_goal_hours)
    if case.first_contact_at:
        waited = case.first_contact_at - case.received_at
        return {"done": True, "waited": waited, "late": waited > goal}
    waited = timezone.now() - case.received_at
    return {"done": False, "waited": waited, "late": waited > goal}


STATUS_TAG = {
    "new": "bg-secondary-dark",
    "active": "bg-green",
    "closed": "bg-base",
    "declined": "bg-base-dark",
    "unable_to_contact": "bg-gold text-ink",
}


@register.filter
def status_class(status: str) -> str:
    return STATUS_TAG.get(status, "")


WIDGET_CLASS = {
    "select": "usa-select",
    "selectmultiple": "usa-select",
    "textarea": "usa-textarea",
}


@register.inclusion_tag("core/_field.html")
def field(bound_field, hint: str = ""):
    """One form field the USWDS way: label, hint, error message, input with its class."""
    widget = bound_field.field.widget
    kind = widget.__class__.__name__.lower()
    choice_list = kind in ("radioselect", "checkboxselectmultiple")
    css = "usa-checkbox__input" if kind == "checkboxinput" else WIDGET_CLASS.get(kind, "usa-input")
    if bound_field.errors:
        css += " usa-input--error"
    if not choice_list:
        widget.attrs["class"] = css
    if bound_field.help_text or hint:
        widget.attrs["aria-describedby"] = f"{bound_field.id_for_label}-hint"
    return {
        "f": bound_field,
        "hint": hint or bound_field.help_text,
        "choice_list": choice_list,
        "multiple": kind == "checkboxselectmultiple",
        "checkbox": kind == "checkboxinput",
    }
