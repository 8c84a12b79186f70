"""How the on-call pages say times and sources."""

from datetime import datetime, timedelta

from django import template
from django.utils import timezone
from django.utils.dateformat import format as date_format

from haven.oncall.roster import Source

register = template.Library()

SOURCE_LABELS = {
    Source.SHIFT: "Roster shift",
    Source.HOLIDAY: "Holiday cover",
    Source.PATTERN: "Weekly pattern",
    Source.MANUAL: "Fallback set by hand",
    Source.CLOSED: "Unit closed",
    Source.NOBODY: "Nobody on call",
}


@register.filter
def when(value: datetime | None) -> str:
    """An instant as an officer says it, in the agency's time: "5:00 PM today", "8:00 AM
    tomorrow", "Monday, Nov 3, 8:00 AM"."""
    if value is None:
        return ""
    local = timezone.localtime(value)
    today = timezone.localdate()
    clock = date_format(local, "g:i A")
    if local.date() == today:
        return f"{clock} today"
    if local.date() == today + timedelta(days=1):
        return f"{clock} tomorrow"
    return f"{date_format(local, 'l, M j')}, {clock}"


@register.filter
def source_label(source: str) -> str:
    return SOURCE_LABELS.get(source, source)
