"""The victim's court calendar as iCalendar (RFC 5545), written by hand: a handful of
properties, so no library. Lines end in CRLF and are folded at 75 octets (3.1); text is
escaped (3.3.11); every VEVENT has UID and DTSTAMP (3.6.1); times are UTC ("Z").

What a victim's calendar may show: the event kind, the time, the courthouse and courtroom.
Never the defendant, the charges or the court case number."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from django.core import signing
from django.utils import timezone

from haven.justice.models import CalendarFeed, CourtEvent

SALT = "haven.justice.calendar"
DURATION = timedelta(hours=1)  # a docket gives a start, not an end


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def escape(text: str) -> str:
    return (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
    )


def fold(line: str) -> str:
    """Split a content line into lines of at most 75 octets, continuation lines starting
    with one space, never inside a UTF-8 character."""
    out, current, size = [], "", 0
    for char in line:
        width = len(char.encode())
        limit = 75 if not out else 74  # a continuation line's leading space counts
        if size + width > limit:
            out.append(current)
            current, size = "", 0
        current += char
        size += width
    out.append(current)
    return "\r\n ".join(out)


def calendar(events: list[CourtEvent], *, name: str, host: str) -> bytes:
    now = _stamp(timezone.now())
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Haven//Court calendar//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape(name)}",
    ]
    for event in events:
        summary = event.get_kind_display()
        lines += [
            "BEGIN:VEVENT",
            f"UID:court-event-{event.pk}@{host}",
            f"DTSTAMP:{now}",
            f"DTSTART:{_stamp(event.scheduled_at)}",
            f"DTEND:{_stamp(event.scheduled_at + DURATION)}",
            f"SUMMARY:{escape(summary)}",
            # A moved date keeps its UID and gets a higher SEQUENCE, so calendars update it.
            f"SEQUENCE:{1 if event.previous_scheduled_at else 0}",
            "STATUS:CONFIRMED",
        ]
        if event.place:
            lines.append(f"LOCATION:{escape(event.place)}")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return ("\r\n".join(fold(line) for line in lines) + "\r\n").encode()


def feed_token(feed: CalendarFeed) -> str:
    return signing.Signer(salt=SALT).sign(f"{feed.pk}-{feed.nonce}").replace(":", "~")


def feed_from_token(agency, token: str) -> CalendarFeed | None:
    """The live feed the token names, in this agency; None for a bad signature, another
    agency's feed or a revoked one."""
    try:
        value = signing.Signer(salt=SALT).unsign(token.replace("~", ":"))
        pk, nonce = value.split("-", 1)
        pk = int(pk)
    except (signing.BadSignature, ValueError):
        return None
    return CalendarFeed.objects.filter(
        agency=agency, pk=pk, nonce=nonce, revoked_at__isnull=True
    ).first()
