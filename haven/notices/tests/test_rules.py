from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from haven.notices.models import MessageStatus
from haven.notices.rules import next_allowed
from haven.notices.services import notice_settings_update, send_due

CHICAGO = ZoneInfo("America/Chicago")
QUIET = {"quiet_start": time(21, 0), "quiet_end": time(8, 0)}


def chicago(hour, minute=0, day=10):
    return datetime(2026, 3, day, hour, minute, tzinfo=CHICAGO)


def test_a_message_at_noon_goes_at_once():
    assert next_allowed(chicago(12), CHICAGO, **QUIET) == chicago(12)


def test_a_message_in_the_late_evening_waits_for_eight_in_the_morning():
    assert next_allowed(chicago(22, 30), CHICAGO, **QUIET) == chicago(8, day=11)


def test_a_message_before_dawn_waits_for_eight_the_same_day():
    assert next_allowed(chicago(3), CHICAGO, **QUIET) == chicago(8)


def test_a_contact_points_safe_window_is_respected_within_the_day():
    # Safe only 17:00-19:00 (after work): a noon message waits for 5 pm.
    moment = next_allowed(
        chicago(12), CHICAGO, **QUIET, safe_from=time(17, 0), safe_until=time(19, 0)
    )
    assert moment == chicago(17)


def test_a_safe_window_inside_quiet_hours_wins_over_the_agency_rule():
    moment = next_allowed(
        chicago(12), CHICAGO, **QUIET, safe_from=time(22, 0), safe_until=time(23, 0)
    )
    assert moment == chicago(22)


def test_equal_quiet_hours_mean_no_quiet_hours():
    now = chicago(23)
    assert next_allowed(now, CHICAGO, quiet_start=time(0), quiet_end=time(0)) == now


def test_a_message_queued_during_quiet_hours_is_deferred_and_sent_when_they_end(
    cora, with_email, queue, smtp_inbox, clock
):
    # On the known Wednesday: "two hours on the wall clock" is two real hours only on a day
    # without a clock change (at 01:49 on the spring-forward night it is one).
    now = datetime.now(UTC)
    local = now.astimezone(CHICAGO)
    # Quiet hours that cover this very minute, ending in two hours.
    start = (local - timedelta(hours=1)).time().replace(second=0, microsecond=0)
    end = (local + timedelta(hours=2)).time().replace(second=0, microsecond=0)
    notice_settings_update(actor=cora, quiet_start=start, quiet_end=end)
    message = queue()[0]
    assert message.status == MessageStatus.DEFERRED
    assert message.next_attempt_at > now + timedelta(hours=1)
    assert send_due() == 0
    assert smtp_inbox.messages == []
    assert send_due(now=message.next_attempt_at + timedelta(seconds=1)) == 1
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT
    assert len(smtp_inbox.messages) == 1


def test_a_queued_message_waits_if_quiet_hours_began_before_the_worker_came(
    cora, with_email, queue, smtp_inbox
):
    message = queue()[0]
    assert message.status == MessageStatus.QUEUED
    local = datetime.now(UTC).astimezone(CHICAGO)
    start = (local - timedelta(minutes=5)).time().replace(second=0, microsecond=0)
    end = (local + timedelta(hours=1)).time().replace(second=0, microsecond=0)
    notice_settings_update(actor=cora, quiet_start=start, quiet_end=end)
    assert send_due() == 0
    message.refresh_from_db()
    assert message.status == MessageStatus.DEFERRED
    assert message.attempts == 0
    assert smtp_inbox.messages == []


def test_an_email_is_not_sent_once_the_address_is_no_longer_marked_safe(
    alice, with_email, queue, smtp_inbox
):
    from haven.people.models import ContactPoint

    message = queue()[0]
    # The victim told her specialist this morning: he reads her email now.
    ContactPoint.objects.filter(pk=with_email.pk).update(ok_mail=False)
    assert send_due() == 0
    message.refresh_from_db()
    assert message.status == MessageStatus.SUPPRESSED
    assert "no longer marked safe" in message.status_note
    assert smtp_inbox.messages == []
