"""The victim's court calendar: a private, signed, revocable feed and a one-off download,
valid iCalendar (RFC 5545), without the defendant's details."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from icalendar import Calendar

from haven.audit.models import AuditEvent
from haven.justice import ics, selectors, services
from haven.justice.models import CalendarFeed

pytestmark = pytest.mark.django_db


@pytest.fixture
def dated(cast, alice, court_case):
    """Two upcoming dates (one moved) and a cancelled one."""
    first = services.court_event_record(
        actor=alice,
        court_case=court_case,
        kind="arraignment",
        scheduled_at=timezone.now() + timedelta(days=5),
        courthouse="Leighton Criminal Court Building, 2650 S. California Ave., Chicago",
        courtroom="302",
    )
    services.court_event_move(
        actor=alice, event=first, scheduled_at=first.scheduled_at + timedelta(days=2)
    )
    services.court_event_record(
        actor=alice,
        court_case=court_case,
        kind="trial",
        scheduled_at=timezone.now() + timedelta(days=40),
        courthouse="Leighton",
    )
    gone = services.court_event_record(
        actor=alice,
        court_case=court_case,
        kind="status_hearing",
        scheduled_at=timezone.now() + timedelta(days=8),
    )
    services.court_event_cancel(actor=alice, event=gone)
    return first


def feed_path(feed: CalendarFeed) -> str:
    return f"/c/{feed.agency.slug}/{ics.feed_token(feed)}.ics"


def assert_rfc5545(body: bytes) -> list[str]:
    text = body.decode()
    assert text.endswith("\r\n")
    assert "\n" not in text.replace("\r\n", "")  # every line ends in CRLF
    physical = text.split("\r\n")[:-1]
    assert all(len(line.encode()) <= 75 for line in physical)
    unfolded = text.replace("\r\n ", "").split("\r\n")[:-1]
    assert unfolded[0] == "BEGIN:VCALENDAR" and unfolded[-1] == "END:VCALENDAR"
    assert "VERSION:2.0" in unfolded and any(line.startswith("PRODID:") for line in unfolded)
    blocks = text.replace("\r\n ", "").split("BEGIN:VEVENT")[1:]
    for block in blocks:
        assert re.search(r"\r\nUID:[^\r]+\r\n", block)
        assert re.search(r"\r\nDTSTAMP:\d{8}T\d{6}Z\r\n", block)
        assert re.search(r"\r\nDTSTART:\d{8}T\d{6}Z\r\n", block)
    return unfolded


def test_the_feed_lists_the_victims_upcoming_dates_as_valid_icalendar(cast, alice, client, dated):
    feed = services.calendar_feed_create(actor=alice, case=cast.case_a, person=cast.victim_a)

    response = client.get(feed_path(feed))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    lines = assert_rfc5545(response.content)
    assert lines.count("BEGIN:VEVENT") == 2
    assert "SUMMARY:Arraignment" in lines and "SUMMARY:Trial" in lines
    assert "Status hearing" not in response.content.decode()  # cancelled
    assert f"UID:court-event-{dated.pk}@testserver" in lines
    assert "SEQUENCE:1" in lines  # the moved date updates in the victim's calendar
    location = next(line for line in lines if line.startswith("LOCATION:Leighton Criminal"))
    assert "2650 S. California Ave.\\, Chicago\\, courtroom 302" in location
    body = response.content.decode()
    for secret in ("Victor Vance", "26CR0001", "Domestic battery", "Pat Prosecutor"):
        assert secret not in body.replace("\r\n ", "")
    assert AuditEvent.objects.filter(action="justice.calendar_read").count() == 1
    client.get(feed_path(feed))  # a calendar app polling again within the hour
    assert AuditEvent.objects.filter(action="justice.calendar_read").count() == 1


def test_a_long_line_is_folded_without_splitting_a_character():
    line = "SUMMARY:" + "Zażółć gęślą jaźń " * 10
    folded = ics.fold(line)

    parts = folded.split("\r\n")
    assert len(parts) > 1
    assert all(len(p.encode()) <= 75 for p in parts)
    assert all(p.startswith(" ") for p in parts[1:])
    assert folded.replace("\r\n ", "") == line


def test_a_revoked_or_replaced_link_stops_working_at_once(cast, alice, client, dated):
    old = services.calendar_feed_create(actor=alice, case=cast.case_a, person=cast.victim_a)
    new = services.calendar_feed_create(actor=alice, case=cast.case_a, person=cast.victim_a)

    assert client.get(feed_path(old)).status_code == 404
    assert client.get(feed_path(new)).status_code == 200
    services.calendar_feed_revoke(actor=alice, case=cast.case_a, feed=new)
    assert client.get(feed_path(new)).status_code == 404


def test_a_forged_token_or_another_agencys_address_finds_nothing(cast, alice, client, dated):
    feed = services.calendar_feed_create(actor=alice, case=cast.case_a, person=cast.victim_a)
    token = ics.feed_token(feed)

    assert client.get(f"/c/riverside/{token[:-2]}xx.ics").status_code == 404
    assert client.get(f"/c/lakeside/{token}.ics").status_code == 404
    assert client.get(f"/c/nowhere/{token}.ics").status_code == 404


def test_the_specialist_downloads_a_one_off_file_and_hands_out_the_link(cast, client_as, dated):
    client = client_as("advocate")
    base = f"/cases/{cast.case_a.pk}/court-calendar/{cast.victim_a.pk}/"

    made = client.post(base)
    page = client.get(base)
    download = client.get(base + "court-dates.ics")

    assert made.status_code == 302
    feed = CalendarFeed.objects.get(person=cast.victim_a, revoked_at__isnull=True)
    assert ics.feed_token(feed) in page.content.decode()
    assert download.status_code == 200
    assert "attachment" in download["Content-Disposition"]
    assert assert_rfc5545(download.content).count("BEGIN:VEVENT") == 2


@pytest.mark.parametrize("role", ["officer", "analyst", "auditor"])
def test_roles_without_the_case_get_no_calendar(cast, client_as, role, dated):
    base = f"/cases/{cast.case_a.pk}/court-calendar/{cast.victim_a.pk}/"
    client = client_as(role)

    assert client.get(base).status_code == 403
    assert client.get(base + "court-dates.ics").status_code == 403
    assert client.post(base).status_code == 403
    assert not CalendarFeed.objects.exists()


def test_each_date_has_a_reminder_the_day_before_that_the_victim_can_drop(
    cast, alice, client, dated
):
    feed = services.calendar_feed_create(actor=alice, case=cast.case_a, person=cast.victim_a)

    kept = client.get(feed_path(feed))
    dropped = client.get(feed_path(feed) + "?reminder=none")

    assert_rfc5545(kept.content) and assert_rfc5545(dropped.content)
    events = Calendar.from_ical(kept.content).walk("VEVENT")
    assert len(events) == 2
    for event in events:
        [alarm] = event.walk("VALARM")
        assert alarm["ACTION"] == "DISPLAY"
        assert alarm.decoded("TRIGGER") == -timedelta(days=1)
        assert str(alarm["DESCRIPTION"]).startswith("Tomorrow: ")
    assert "BEGIN:VALARM" not in dropped.content.decode()
    assert len(Calendar.from_ical(dropped.content).walk("VEVENT")) == 2


@time_machine.travel("2026-03-02 15:00:00+00:00", tick=False)
def test_the_sequence_rises_with_each_change_of_an_event(cast, alice, court_case):
    event = services.court_event_record(
        actor=alice,
        court_case=court_case,
        kind="trial",
        scheduled_at=timezone.now() + timedelta(days=10),
        courthouse="Leighton",
    )

    def published():
        body = ics.calendar(
            selectors.calendar_events_for(cast.victim_a, agency=cast.agency_a),
            name="Court dates",
            host="haven.test",
        )
        [vevent] = Calendar.from_ical(body).walk("VEVENT")
        return vevent["SEQUENCE"], vevent.decoded("DTSTART")

    assert published() == (0, timezone.now() + timedelta(days=10))
    services.court_event_move(
        actor=alice, event=event, scheduled_at=timezone.now() + timedelta(days=12)
    )
    assert published() == (1, timezone.now() + timedelta(days=12))
    services.court_event_move(
        actor=alice, event=event, scheduled_at=timezone.now() + timedelta(days=14)
    )
    assert published() == (2, timezone.now() + timedelta(days=14))
    event.refresh_from_db()
    assert event.sequence == 2
