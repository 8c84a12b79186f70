"""Nothing waits forever (issue 17, item 3): a message that cannot go becomes a call task for
the case's specialist, with the reason, on their To do list; never a silent "not sent". The
clock is frozen: quiet hours and safe hours are read on it."""

from datetime import UTC, datetime, time

import pytest
import time_machine
from django.utils import timezone

from haven.cases.models import Task
from haven.notices import sms
from haven.notices.models import Channel, Message, MessageStatus
from haven.notices.services import (
    notice_settings_update,
    opt_out_record,
    send_due,
)
from haven.people.models import ContactKind, ContactPoint
from haven.people.services import contact_point_add

pytestmark = pytest.mark.django_db

# Monday 2 March 2026, 10:00 in Chicago (16:00 UTC): outside the quiet hours below.
NOW = datetime(2026, 3, 2, 16, 0, tzinfo=UTC)
RIGHTS = "justice.obligation:999"


@pytest.fixture(autouse=True)
def frozen(cora):
    with time_machine.travel(NOW, tick=False):
        notice_settings_update(actor=cora, quiet_start=time(21, 0), quiet_end=time(8, 0))
        yield


def open_tasks(case):
    """The open tasks the messages made (the cast's case has its own tasks already)."""
    return list(Task.objects.filter(case=case, completed_at__isnull=True, created_by__isnull=True))


def test_safe_hours_wholly_inside_quiet_hours_become_a_call_task_at_once(
    cast, alice, victim, queue
):
    contact_point_add(
        actor=alice,
        person=victim,
        kind=ContactKind.PHONE,
        value="(312) 555-0199",
        ok_text=True,
        safe_from=time(22, 0),
        safe_until=time(23, 0),
    )

    [text] = queue(template="specialist_assigned", facts={"specialist": "Alice Avery"})

    assert text.status == MessageStatus.SUPPRESSED
    assert "wholly inside the agency's quiet hours" in text.status_note
    [task] = open_tasks(cast.case_a)
    assert task.title.startswith("Call Dana Reyes about:")
    assert "safe hours lie wholly inside the agency's quiet hours" in task.title
    assert task.assignee == cast.case_a.assigned_to == cast.advocate
    assert Message.objects.get(pk=text.pk).task_id == task.pk


def test_safe_hours_that_overlap_the_day_just_wait_for_them(cast, alice, victim, queue):
    contact_point_add(
        actor=alice,
        person=victim,
        kind=ContactKind.PHONE,
        value="(312) 555-0199",
        ok_text=True,
        safe_from=time(18, 0),
        safe_until=time(23, 0),
    )

    [text] = queue(template="specialist_assigned", facts={"specialist": "Alice Avery"})

    assert text.status == MessageStatus.DEFERRED
    assert timezone.localtime(text.next_attempt_at, cast.agency_a.tz).time() == time(18, 0)
    assert open_tasks(cast.case_a) == []


def test_every_channel_turned_unsafe_before_sending_becomes_a_call_task(
    cast, alice, with_text, queue
):
    [text] = queue()
    ContactPoint.objects.filter(pk=with_text.pk).update(ok_text=False)

    assert send_due() == 0

    text.refresh_from_db()
    assert text.status == MessageStatus.SUPPRESSED
    [task] = open_tasks(cast.case_a)
    assert "no written channel is safe" in task.title
    assert text.task_id == task.pk


def test_a_rights_notice_queued_before_the_person_opted_out_of_everything_becomes_a_call(
    cast, alice, with_email, with_text, queue
):
    made = queue(
        template="court_event_scheduled",
        facts={"event": "Trial", "when": NOW},
        source=RIGHTS,
    )
    assert {m.channel for m in made} == {Channel.EMAIL, Channel.SMS}

    opt_out_record(actor=alice, person=cast.victim_a, channel="all")

    assert set(Message.objects.values_list("status", flat=True)) == {MessageStatus.SUPPRESSED}
    [task] = open_tasks(cast.case_a)
    assert "this rights notice must reach them by phone" in task.title
    assert task.assignee == cast.advocate


def test_an_ordinary_update_the_person_opted_out_of_makes_no_task(cast, alice, with_email, queue):
    queue(template="specialist_assigned", facts={"specialist": "Alice Avery"})

    opt_out_record(actor=alice, person=cast.victim_a, channel="all")

    assert open_tasks(cast.case_a) == []


def test_a_text_failing_for_good_gives_the_specialist_a_task_with_the_reason(
    cast, with_text, queue, monkeypatch
):
    class Refusing:
        def send(self, **_):
            raise sms.SmsError("Twilio 21211: not a valid number", permanent=True)

    monkeypatch.setattr(sms, "get_provider", lambda: Refusing())
    [text] = queue(source=RIGHTS, template="court_event_scheduled", facts={"event": "Trial"})

    send_due()

    text.refresh_from_db()
    assert text.status == MessageStatus.FAILED and "21211" in text.last_error
    [task] = open_tasks(cast.case_a)
    assert "failed: reach them another way" in task.title and task.assignee == cast.advocate
