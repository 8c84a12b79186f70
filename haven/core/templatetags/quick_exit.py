from django import template

from haven.core.quick_exit import QUICK_EXIT_DEFAULT, quick_exit_text

register = template.Library()


@register.simple_tag
def quick_exit(language: str | None = None, url: str | None = None) -> dict[str, str]:
    """`{% quick_exit lang url as qx %}`: qx.label, qx.hint and qx.url (the default neutral
    site when the agency's is unset)."""
    return {**quick_exit_text(language), "url": url or QUICK_EXIT_DEFAULT}
