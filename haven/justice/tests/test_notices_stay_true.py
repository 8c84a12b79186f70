"""Notices that stay true (issue 17, item 1): a moved or cancelled court date withdraws every
notice queued for it that no worker has claimed; a date moved back keeps what it owes; a
continuance keeps every obligation that still applies; a feed row re-sent after a move updates
its event instead of adding a second one. The clock is frozen so due times are exact."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from haven.justice import services
from haven.justice.models import CourtEvent, ObligationStatus
from haven.justice.tests.test_import import HEADER
from haven.notices.models import Message, MessageStatus
from haven.notices.services import send_one
from haven.people.models import ContactKind
from haven.people.services import contact_point_add

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)  # a Monday, 9:00 in Chicago


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def reachable(cast, alice, cora):
    from datetime import time

    from haven.notices.services import notice_settings_update

    notice_settings_update(actor=cora, quiet_start=time(0, 0), quiet_end=time(0, 0))
    return contact_point_add(
        actor=alice,
        person=cast.victim_a,
        kind=ContactKind.EMAIL,
        value="dana.reyes@example.org",
        ok_mail=True,
    )


def notices_of(event):
    return Message.objects.filter(
        source__in=[f"justice.obligation:{o.pk}" for o in event.obligations.all()]
    ).order_by("pk")


def test_a_moved_date_withdraws_the_old_dates_queued_notice_and_queues_the_new_one(
    alice, court_case, reachable
):
    first = NOW + timedelta(days=10)
    event = services.court_event_record(
        actor=alice, court_case=court_case, kind="arraignment", scheduled_at=first
    )
    [old] = notices_of(event)
    assert old.status == MessageStatus.QUEUED

    services.court_event_move(actor=alice, event=event, scheduled_at=first + timedelta(days=7))

    old.refresh_from_db()
    assert old.status == MessageStatus.CANCELLED
    assert old.status_note == "The court moved this date."
    [new] = notices_of(event).exclude(pk=old.pk)
    assert new.status == MessageStatus.QUEUED and new.template == "court_event_changed"
    assert new.facts["when"].startswith((first + timedelta(days=7)).date().isoformat())


def test_a_cancelled_date_withdraws_its_queued_notice(alice, court_case, reachable):
    event = services.court_event_record(
        actor=alice, court_case=court_case, kind="trial", scheduled_at=NOW + timedelta(days=9)
    )
    [queued] = notices_of(event)

    services.court_event_cancel(actor=alice, event=event, reason="Struck from the call")

    queued.refresh_from_db()
    assert queued.status == MessageStatus.CANCELLED
    assert not notices_of(event).filter(status=MessageStatus.QUEUED).exists()


def test_a_letter_to_print_for_a_cancelled_date_is_withdrawn_with_its_task(
    cast, alice, cora, court_case
):
    from haven.cases.models import Task

    contact_point_add(
        actor=alice,
        person=cast.victim_a,
        kind=ContactKind.ADDRESS,
        value="1 Main St, Riverside",
        ok_mail=True,
    )
    event = services.court_event_record(
        actor=alice, court_case=court_case, kind="trial", scheduled_at=NOW + timedelta(days=9)
    )
    [letter] = notices_of(event)
    assert letter.channel == "letter" and letter.status == MessageStatus.READY

    services.court_event_cancel(actor=alice, event=event)

    letter.refresh_from_db()
    assert letter.status == MessageStatus.CANCELLED
    assert Task.objects.get(pk=letter.task_id).completed_at is not None


def test_two_moves_in_quick_succession_leave_one_live_notice_for_the_last_date(
    alice, court_case, reachable
):
    first = NOW + timedelta(days=10)
    event = services.court_event_record(
        actor=alice, court_case=court_case, kind="arraignment", scheduled_at=first
    )
    services.court_event_move(actor=alice, event=event, scheduled_at=first + timedelta(days=1))
    services.court_event_move(actor=alice, event=event, scheduled_at=first + timedelta(days=2))

    live = notices_of(event).filter(status=MessageStatus.QUEUED)
    [last] = live
    assert last.facts["when"].startswith((first + timedelta(days=2)).date().isoformat())
    assert notices_of(event).filter(status=MessageStatus.CANCELLED).count() == 2
    event.refresh_from_db()
    assert event.sequence == 2


def test_a_notice_the_worker_already_claimed_is_left_alone_and_the_next_date_is_told(
    alice, court_case, reachable
):
    """The worker claimed the first notice (it may be on its way) when the date moved: it is
    not touched, its obligation is closed, and the new date is told by a fresh notice."""
    first = NOW + timedelta(days=10)
    event = services.court_event_record(
        actor=alice, court_case=court_case, kind="arraignment", scheduled_at=first
    )
    [claimed] = notices_of(event)
    Message.objects.filter(pk=claimed.pk).update(status=MessageStatus.SENDING, claim_token="t")

    services.court_event_move(actor=alice, event=event, scheduled_at=first + timedelta(days=3))
    services.court_event_move(actor=alice, event=event, scheduled_at=first + timedelta(days=4))

    claimed.refresh_from_db()
    assert claimed.status == MessageStatus.SENDING
    live = notices_of(event).filter(status=MessageStatus.QUEUED)
    assert live.count() == 1
    assert live.get().facts["when"].startswith((first + timedelta(days=4)).date().isoformat())
    # The message sent for the old date honors nothing: that obligation no longer applies.
    assert send_one(live.get().pk, now=timezone.now())


def test_a_date_moved_back_earlier_keeps_its_obligations_open_and_tells_the_victim_again(
    alice, court_case, reachable
):
    first = NOW + timedelta(days=10)
    event = services.court_event_record(
        actor=alice, court_case=court_case, kind="trial", scheduled_at=first
    )
    services.court_event_move(actor=alice, event=event, scheduled_at=first + timedelta(days=5))
    services.court_event_move(actor=alice, event=event, scheduled_at=first)

    open_now = event.obligations.filter(status=ObligationStatus.OPEN)
    assert {o.event_time for o in open_now} == {first}
    assert {o.rule_key for o in open_now} == {
        "il_court_proceeding_notice",
        "il_communicate_with_prosecution",
    }
    [told] = notices_of(event).filter(status=MessageStatus.QUEUED)
    assert told.template == "court_event_changed" and told.dedupe_key.count(":") == 2


def test_a_date_moved_earlier_owes_everything_due_before_the_new_date(alice, court_case, reachable):
    first = NOW + timedelta(days=20)
    event = services.court_event_record(
        actor=alice, court_case=court_case, kind="plea", scheduled_at=first
    )
    earlier = NOW + timedelta(days=4)
    services.court_event_move(actor=alice, event=event, scheduled_at=earlier)

    owed = {o.rule_key: o for o in event.obligations.filter(status=ObligationStatus.OPEN)}
    assert set(owed) == {
        "il_court_proceeding_notice",
        "il_heard_release_plea_sentencing",
        "il_communicate_with_prosecution",
    }
    assert all(o.event_time == earlier and o.due_at <= earlier for o in owed.values())
    assert owed["il_communicate_with_prosecution"].due_at == earlier - timedelta(hours=48)


def test_a_continuance_keeps_the_right_to_communicate_with_the_prosecution(
    alice, court_case, reachable
):
    event = services.court_event_record(
        actor=alice, court_case=court_case, kind="trial", scheduled_at=NOW + timedelta(days=10)
    )
    services.court_event_move(actor=alice, event=event, scheduled_at=NOW + timedelta(days=30))

    assert event.obligations.filter(
        rule_key="il_communicate_with_prosecution", status=ObligationStatus.OPEN
    ).exists()


def test_a_continuance_keeps_the_federal_right_to_confer(alice, federal_case):
    event = services.court_event_record(
        actor=alice, court_case=federal_case, kind="trial", scheduled_at=NOW + timedelta(days=10)
    )
    services.court_event_move(actor=alice, event=event, scheduled_at=NOW + timedelta(days=30))

    assert event.obligations.filter(
        rule_key="cvra_confer", status=ObligationStatus.OPEN, event_time=NOW + timedelta(days=30)
    ).exists()


def chicago(moment: datetime) -> str:
    return timezone.localtime(moment, timezone=cast_tz()).strftime("%Y-%m-%d %H:%M")


def cast_tz():
    from zoneinfo import ZoneInfo

    return ZoneInfo("America/Chicago")


def run_feed(tmp_path, *rows):
    path = tmp_path / "feed.csv"
    path.write_text(HEADER + "\n".join(rows) + "\n")
    call_command("justice_import", "--agency", "riverside", str(path))


def test_a_feed_row_resent_after_a_move_updates_its_event_instead_of_adding_one(
    cast, alice, court_case, tmp_path
):
    """The date was set by hand, then moved; the feed then sends the original row with its
    external id: that is the same hearing, now known by its id, not a second one."""
    first = NOW + timedelta(days=10)
    event = services.court_event_record(
        actor=alice, court_case=court_case, kind="trial", scheduled_at=first
    )
    moved = first + timedelta(days=7)
    run_feed(
        tmp_path,
        f"court,,,26CR0001,,trial,{chicago(moved)},{chicago(first)},continued,,,,,CC-77",
    )
    assert CourtEvent.objects.count() == 1
    event.refresh_from_db()
    assert event.scheduled_at == moved and event.external_id == "CC-77"

    # The feed re-sends its rows (the old one too): still one event, still at the new time.
    run_feed(
        tmp_path,
        f"court,,,26CR0001,,trial,{chicago(first)},,,,,,,",
        f"court,,,26CR0001,,trial,{chicago(moved)},{chicago(first)},continued,,,,,CC-77",
    )
    assert CourtEvent.objects.count() == 1
    event.refresh_from_db()
    assert event.scheduled_at == moved


def test_a_feed_row_with_a_known_external_id_and_a_new_time_moves_its_event(
    cast, court_case, tmp_path
):
    first, second = NOW + timedelta(days=10), NOW + timedelta(days=12)
    run_feed(tmp_path, f"court,,,26CR0001,,plea,{chicago(first)},,,,,,,CC-9")
    run_feed(tmp_path, f"court,,,26CR0001,,plea,{chicago(second)},,,,,,,CC-9")
    run_feed(tmp_path, f"court,,,26CR0001,,plea,{chicago(second)},,,,,,,CC-9")

    event = CourtEvent.objects.get()
    assert event.scheduled_at == second and event.sequence == 1
