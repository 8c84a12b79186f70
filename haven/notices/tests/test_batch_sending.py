"""The worker sends in batches: one claim, one SMTP connection, and the rules read again just
before each message goes. A change made between the claim and the send is honoured; a claim
whose worker died before handing a message over is taken again after the lease, not lost."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from haven.audit.models import AuditAction
from haven.audit.selectors import verify_chain
from haven.cases.models import CaseEvent, CaseEventKind
from haven.notices.models import Message, MessageStatus
from haven.notices.services import LEASE, message_cancel, opt_out_record, send_due
from haven.notices.services.worker import _claim, _send_claimed
from haven.people.services import contact_point_set_safety


@pytest.fixture
def sessions(smtp_inbox):
    """The SMTP connections (sessions) each received message came over."""
    seen = []
    deliver = smtp_inbox.handle_DATA

    async def handle_DATA(server, session, envelope):
        seen.append(id(session))
        return await deliver(server, session, envelope)

    smtp_inbox.handle_DATA = handle_DATA
    return seen


def claim(now=None):
    """What a worker does first; the test then acts before it sends."""
    now = now or timezone.now()
    token, claimed = _claim(now=now, batch=50, lease=LEASE)
    return token, claimed, now


def test_one_connection_carries_the_whole_batch(with_email, queue, smtp_inbox, sessions):
    for n in range(6):
        queue(key=f"batch:{n}", facts={"body": f"Message {n}."})
    assert send_due(batch=50) == 6
    assert len(smtp_inbox.messages) == 6
    assert len(set(sessions)) == 1
    assert set(Message.objects.values_list("status", flat=True)) == {MessageStatus.SENT}


def test_the_batch_writes_one_timeline_line_and_one_audit_event_per_message(
    cast, with_email, queue, smtp_inbox, new_audit_events
):
    made = [queue(key=f"batch:{n}")[0] for n in range(4)]
    assert send_due(batch=50) == 4
    sent = new_audit_events(action=AuditAction.NOTICE_SENT)
    assert sorted(int(e.object_id) for e in sent) == sorted(m.pk for m in made)
    assert {e.details["attempt"] for e in sent} == {1}
    lines = CaseEvent.objects.filter(
        kind=CaseEventKind.NOTICE, data__summary="Email (message from staff): sent"
    )
    assert lines.count() == 4
    assert set(Message.objects.values_list("claim_token", flat=True)) == {""}
    assert verify_chain(str(cast.agency_a.pk))[1] is None


def test_an_opt_out_recorded_after_the_claim_is_honoured(
    alice, victim, with_email, queue, smtp_inbox
):
    made = [queue(key=f"batch:{n}")[0] for n in range(3)]
    token, claimed, now = claim()
    assert len(claimed) == 3
    opt_out_record(actor=alice, person=victim, channel="email")
    assert _send_claimed(token, claimed, now=now) == 0
    assert smtp_inbox.messages == []
    for message in made:
        message.refresh_from_db()
        assert message.status == MessageStatus.SUPPRESSED


def test_a_contact_made_unsafe_after_the_claim_is_honoured(alice, with_email, queue, smtp_inbox):
    [message] = queue()
    token, claimed, now = claim()
    contact_point_set_safety(actor=alice, point=with_email, ok_mail=False)
    assert _send_claimed(token, claimed, now=now) == 0
    assert smtp_inbox.messages == []
    message.refresh_from_db()
    assert message.status == MessageStatus.SUPPRESSED
    assert message.status_note.startswith("The contact is no longer marked safe")


def test_a_message_cancelled_after_the_claim_stays_cancelled(alice, with_email, queue, smtp_inbox):
    first, second = queue(key="a")[0], queue(key="b")[0]
    token, claimed, now = claim()
    message_cancel(actor=alice, message=first)
    assert _send_claimed(token, claimed, now=now) == 1
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (MessageStatus.CANCELLED, MessageStatus.SENT)
    assert [mail["Message-ID"] for _, mail in smtp_inbox.messages] == [second.email_message_id]


def test_a_claim_whose_worker_died_before_sending_is_taken_again_after_the_lease(
    with_email, queue, smtp_inbox
):
    made = [queue(key=f"batch:{n}")[0] for n in range(3)]
    claim()  # a worker claimed them, then died before handing any over
    assert send_due() == 0  # still its own while the lease runs
    assert send_due(now=timezone.now() + LEASE + timedelta(seconds=1)) == 3
    ids = [mail["Message-ID"] for _, mail in smtp_inbox.messages]
    assert sorted(ids) == sorted(m.email_message_id for m in made)
    assert set(Message.objects.values_list("status", flat=True)) == {MessageStatus.SENT}
    assert set(Message.objects.values_list("attempts", flat=True)) == {1}


def test_texts_and_emails_go_in_one_batch(with_email, with_text, queue, settings, tmp_path):
    out = tmp_path / "sms.jsonl"
    settings.HAVEN_SMS_PROVIDER = "file"
    settings.HAVEN_SMS_FILE = str(out)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    for n in range(3):
        queue(key=f"both:{n}")
    assert send_due(batch=50) == 6
    lines = [json.loads(line) for line in out.read_text().splitlines()]
    texts = Message.objects.filter(channel="sms")
    assert sorted(line["id"] for line in lines) == sorted(t.provider_id for t in texts)
    assert set(Message.objects.values_list("status", flat=True)) == {MessageStatus.SENT}
