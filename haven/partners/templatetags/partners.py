from django import template

from haven.lib.phones import display_phone

register = template.Library()


@register.filter
def partner_phone(number: str) -> str:
    """A partner's phone as people read it; three-digit lines (211, 988) as they are."""
    return display_phone(number) if number and number.startswith("+") else (number or "")


@register.filter
def tel(number: str) -> str:
    return f"tel:{number}" if number else ""


@register.filter
def lookup(mapping: dict, key):
    return mapping.get(key) if mapping else None


@register.filter
def absval(value: int) -> int:
    return abs(value)
