import pytest
from django.core.exceptions import PermissionDenied

from haven.audit.models import AuditAction
from haven.cases.models import CaseEvent, CaseEventKind, Task
from haven.lib.tokens import token_digest
from haven.notices.models import Channel, Message, MessageStatus
from haven.notices.services import send_due
from haven.notices.tests.helpers import link_token


def test_a_message_to_a_safe_email_is_queued_then_sent_once_by_the_worker(
    cast, alice, with_email, queue, smtp_inbox, new_audit_events
):
    made = queue()
    assert [m.channel for m in made] == [Channel.EMAIL]
    assert made[0].status == MessageStatus.QUEUED
    assert send_due() == 1
    assert send_due() == 0
    made[0].refresh_from_db()
    assert made[0].status == MessageStatus.SENT
    assert made[0].attempts == 1
    assert len(smtp_inbox.messages) == 1
    rcpts, mail = smtp_inbox.messages[0]
    assert rcpts == ["dana.reyes@example.org"]
    assert mail["Message-ID"] == made[0].email_message_id
    assert "Please call us back." in mail.get_payload()
    token = link_token(made[0])
    assert f"/n/{token}/" in mail.get_payload()
    assert made[0].opt_out_digest == token_digest(token) != token
    summaries = [e.data["summary"] for e in CaseEvent.objects.filter(kind=CaseEventKind.NOTICE)]
    assert summaries == ["Email (message from staff): sent", "Email (message from staff): queued"]
    actions = [e.action for e in new_audit_events(object_type="notices.message")]
    assert actions == [AuditAction.NOTICE_QUEUE, AuditAction.NOTICE_SENT]


def test_queueing_twice_with_the_same_dedupe_key_makes_one_message(
    alice, with_email, queue, smtp_inbox
):
    first = queue(key="court:1:scheduled")
    second = queue(key="court:1:scheduled")
    assert [m.pk for m in first] == [m.pk for m in second]
    assert Message.objects.count() == 1
    send_due()
    assert len(smtp_inbox.messages) == 1


def test_email_and_text_both_go_when_both_are_safe(alice, with_email, with_text, queue):
    made = queue()
    assert sorted(m.channel for m in made) == [Channel.EMAIL, Channel.SMS]
    text = next(m for m in made if m.channel == Channel.SMS)
    assert text.destination == "+13125550199"
    assert len(text.body) < 320
    assert "/n/" in text.body


def test_with_no_safe_written_channel_the_specialist_gets_a_call_task(cast, alice, queue):
    # The cast's victim has only a phone that is not ok for texts.
    made = queue(template="specialist_assigned", facts={"specialist": "Alice Avery"})
    assert [(m.channel, m.status) for m in made] == [(Channel.PHONE, MessageStatus.READY)]
    task = Task.objects.get(pk=made[0].task_id)
    assert task.title == "Call Dana Reyes about: specialist assigned"
    assert task.assignee == cast.advocate
    assert send_due() == 0


def test_a_language_without_a_template_falls_back_to_english_and_says_so(victim, with_email, queue):
    victim.preferred_language = "vi"
    victim.save(update_fields=["preferred_language"])
    message = queue()[0]
    assert message.language == "en"
    assert message.fell_back
    assert "English" in message.status_note


def test_a_spanish_speaker_gets_court_dates_in_spanish_on_the_agency_clock(
    victim, with_email, queue
):
    from datetime import UTC, datetime

    victim.preferred_language = "es"
    victim.save(update_fields=["preferred_language"])
    when = datetime(2026, 3, 10, 15, 30, tzinfo=UTC)  # 10:30 in Chicago (CDT)
    message = queue(
        template="court_event_scheduled",
        facts={"event": "Audiencia preliminar", "when": when, "place": "Sala 302"},
    )[0]
    assert message.language == "es"
    assert "martes, 10 de marzo de 2026 a las 10:30" in message.body
    assert "Sala 302" in message.body
    assert message.facts["when"] == "2026-03-10T15:30:00+00:00"


@pytest.mark.parametrize("role", ["officer", "analyst", "auditor"])
def test_roles_without_case_work_cannot_queue_messages(cast, role, with_email, queue):
    with pytest.raises(PermissionDenied):
        queue(actor=cast.actor(role))
    assert not Message.objects.exists()


def test_another_agency_cannot_queue_on_this_agency_case(cast, charlie, with_email, queue):
    with pytest.raises(PermissionDenied):
        queue(actor=charlie)
    assert not Message.objects.exists()


def test_the_demo_tells_some_victims_who_their_specialist_is(cast):
    import random

    from haven.notices.demo import seed_demo

    seed_demo(agency=cast.agency_a, rng=random.Random(1))
    message = Message.objects.get()
    assert message.template == "specialist_assigned"
    assert message.channel == Channel.PHONE  # the cast's victim has no written channel


def test_a_message_goes_only_to_someone_on_the_case(alice, queue):
    from django.core.exceptions import ValidationError

    from haven.people.services import person_create

    stranger = person_create(actor=alice, first_name="Sol", last_name="Stranger")
    with pytest.raises(ValidationError, match="people on the case"):
        queue(person=stranger)
    assert not Message.objects.exists()


def test_a_call_task_falls_due_in_the_persons_safe_hours_and_says_them(cast, alice, queue):
    from datetime import time

    from haven.people.models import ContactPoint

    ContactPoint.objects.filter(person=cast.case_a.primary_victim).update(
        safe_from=time(17, 0), safe_until=time(19, 0)
    )
    message = queue(template="custody_event", facts={"event": "Released"})[0]
    task = Task.objects.get(pk=message.task_id)
    assert task.title == "Call Dana Reyes about: custody update (safe to call 17:00-19:00)"
    local = task.due_at.astimezone(cast.agency_a.tz)
    assert time(17, 0) <= local.time() < time(19, 0)


def test_the_minute_task_sends_what_is_due(with_email, queue, smtp_inbox):
    from haven.notices.tasks import notices_every_minute

    message = queue()[0]
    notices_every_minute()
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT
    assert len(smtp_inbox.messages) == 1
