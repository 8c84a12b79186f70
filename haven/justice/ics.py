"""The victim's court calendar as iCalendar (RFC 5545), written with the `icalendar` package:
it escapes text (3.3.11), folds lines at 75 octets without splitting a character (3.1) and
ends them in CRLF. Every VEVENT has UID and DTSTAMP (3.6.1); times are UTC ("Z").

Each event's SEQUENCE is its revision counter (CourtEvent.sequence, raised by every change a
service makes), so a calendar app replaces its copy when a date moves (5.5.5 / RFC 5546 2.1.4).
Each event carries, unless the victim chose the link without reminders, one VALARM: a display
reminder the day before (TRIGGER:-P1D).

What a victim's calendar may show: the event kind, the time, the courthouse and courtroom.
Never the defendant, the charges or the court case number."""

from __future__ import annotations

from datetime import timedelta

from django.core import signing
from django.utils import timezone
from icalendar import Alarm, Calendar, Event
from icalendar.parser import Contentline

from haven.justice.calendar_words import calendar_text, court_event_words
from haven.justice.models import CalendarFeed, CourtEvent

SALT = "haven.justice.calendar"
DURATION = timedelta(hours=1)  # a docket gives a start, not an end
REMINDER_BEFORE = timedelta(days=1)
# ?reminder=none on the feed or the download: the victim's choice of a calendar without alarms.
NO_REMINDER = "none"


def calendar(
    events: list[CourtEvent],
    *,
    host: str,
    name: str | None = None,
    reminder: bool = True,
    language: str = "en",
) -> bytes:
    """The events as a calendar in `language` (en, es, pl, zh or ar; any other writes
    English): the kind of hearing in plain words, the courtroom, the reminder, and the
    calendar's name unless `name` is given."""
    cal = Calendar()
    cal.add("prodid", "-//Haven//Court calendar//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name or calendar_text("name", language))
    now = timezone.now()
    for court_event in events:
        summary = court_event_words(court_event.kind, language, court_event.get_kind_display())
        event = Event()
        event.add("uid", f"court-event-{court_event.pk}@{host}")
        event.add("dtstamp", now)
        event.add("dtstart", court_event.scheduled_at)
        event.add("dtend", court_event.scheduled_at + DURATION)
        event.add("summary", summary)
        # Raised by every change, so calendars replace the copy they hold (same UID).
        event.add("sequence", court_event.sequence)
        event.add("status", "CONFIRMED")
        place = _place(court_event, language)
        if place:
            event.add("location", place)
        if reminder:
            alarm = Alarm()
            alarm.add("uid", f"court-event-{court_event.pk}-reminder@{host}")
            alarm.add("action", "DISPLAY")
            alarm.add("trigger", -REMINDER_BEFORE)
            alarm.add("description", calendar_text("reminder", language, summary=summary))
            event.add_component(alarm)
        cal.add_component(event)
    return cal.to_ical()


def _place(court_event: CourtEvent, language: str) -> str:
    room = court_event.courtroom and calendar_text(
        "courtroom", language, room=court_event.courtroom
    )
    return ", ".join(p for p in (court_event.courthouse, room) if p)


def fold(line: str) -> str:
    """One content line folded as the calendar writes it (at most 75 octets a line)."""
    return Contentline(line).to_ical().decode()


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
