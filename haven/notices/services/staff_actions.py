"""What staff do with a message: cancel it, retry it, mark a letter mailed or a call made, write
one, print a letter."""

import uuid

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from haven.agencies.roles import Perm
from haven.audit.models import AuditAction
from haven.audit.services import audit_record
from haven.cases.models import Case, Task
from haven.cases.services import task_complete
from haven.core.actor import Actor
from haven.notices import events
from haven.notices.models import AUTOMATIC_CHANNELS, CANCELLABLE, Channel, Message, MessageStatus
from haven.notices.services.opt_outs import _blocked, opted_out_channels
from haven.notices.services.queueing import _kick, message_queue
from haven.notices.signals import message_delivered, message_sent
from haven.people.models import Person


def _staff_change(actor: Actor, message: Message) -> None:
    actor.require(Perm.CASE_WORK)
    actor.require_own(message)


def message_cancel(*, actor: Actor, message: Message) -> Message:
    """Stop a message that has not gone out yet."""
    _staff_change(actor, message)
    with transaction.atomic():
        updated = Message.objects.filter(pk=message.pk, status__in=CANCELLABLE).update(
            status=MessageStatus.CANCELLED, updated_at=timezone.now()
        )
        if not updated:
            raise ValidationError(
                gettext("Only a message that has not gone out yet can be cancelled.")
            )
        message.refresh_from_db()
        events.message_event(actor, message, "cancelled")
        audit_record(actor=actor, action=AuditAction.NOTICE_CANCEL, obj=message)
    return message


def message_retry(*, actor: Actor, message: Message) -> Message:
    """Send a failed message again, or an uncertain one once you have checked it did not
    arrive (the person may otherwise get it twice)."""
    _staff_change(actor, message)
    if message.channel not in AUTOMATIC_CHANNELS:
        raise ValidationError(gettext("Letters and calls are not retried: print or call again."))
    if message.contact_point_id is None or _blocked(
        message.channel, opted_out_channels(message.person)
    ):
        raise ValidationError(
            gettext("The person opted out of this channel or the contact is gone.")
        )
    now = timezone.now()
    with transaction.atomic():
        updated = Message.objects.filter(
            pk=message.pk, status__in=(MessageStatus.FAILED, MessageStatus.UNCERTAIN)
        ).update(
            status=MessageStatus.QUEUED,
            attempts=0,
            next_attempt_at=now,
            claim_token="",
            claimed_at=None,
            updated_at=now,
        )
        if not updated:
            raise ValidationError(gettext("Only a failed or uncertain message can be retried."))
        message.refresh_from_db()
        events.message_event(actor, message, "queued again by staff")
        audit_record(actor=actor, action=AuditAction.NOTICE_RETRY, obj=message)
    agency_id = message.agency_id
    transaction.on_commit(lambda: _kick(agency_id))
    return message


def message_mark_done(*, actor: Actor, message: Message) -> Message:
    """The specialist mailed the letter (sent) or reached the person by phone (delivered);
    the message's task is completed with it."""
    _staff_change(actor, message)
    if message.channel not in (Channel.LETTER, Channel.PHONE):
        raise ValidationError(gettext("Only letters and calls are marked done by staff."))
    now = timezone.now()
    status = MessageStatus.SENT if message.channel == Channel.LETTER else MessageStatus.DELIVERED
    fields = {"status": status, "updated_at": now, "sent_at": now}
    if status == MessageStatus.DELIVERED:
        fields["delivered_at"] = now
    with transaction.atomic():
        updated = Message.objects.filter(pk=message.pk, status=MessageStatus.READY).update(**fields)
        if not updated:
            raise ValidationError(gettext("This message is not waiting for a letter or a call."))
        message.refresh_from_db()
        what = "letter mailed" if message.channel == Channel.LETTER else "call made"
        events.message_event(actor, message, what)
        audit_record(actor=actor, action=AuditAction.NOTICE_DONE, obj=message)
        if message.task_id:
            task = Task.objects.get(pk=message.task_id)
            if task.completed_at is None:
                task_complete(actor=actor, task=task)
        if status == MessageStatus.DELIVERED:
            message_delivered.publish(sender=Message, message=message)
        else:
            message_sent.publish(sender=Message, message=message)
    return message


def message_send_staff(
    *, actor: Actor, case: Case, person: Person, subject: str, body: str
) -> list[Message]:
    """A message written by staff (the "generic" template), over the person's safe channels."""
    actor.require(Perm.CASE_WORK)
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": gettext("Write the message.")})
    if len(body) > 2000:
        raise ValidationError({"body": gettext("Keep the message under 2,000 characters.")})
    return message_queue(
        actor=actor,
        case=case,
        person=person,
        template="generic",
        facts={"subject": (subject or "").strip()[:150], "body": body},
        dedupe_key=f"staff:{uuid.uuid4().hex}",
        source="staff",
    )


def letter_pdf(*, actor: Actor, message: Message) -> bytes:
    """The letter as a PDF to print and mail; each download is audited."""
    from haven.lib.pdf import pdf_bytes, pdf_document, pdf_heading, pdf_paragraph

    actor.require(Perm.CASE_WORK)
    actor.require_own(message)
    if message.channel != Channel.LETTER:
        raise ValidationError(gettext("Only letters are printed."))
    pdf = pdf_document(language=message.language, title=message.subject)
    pdf_paragraph(pdf, message.person.full_name + "\n" + message.destination)
    today = timezone.localtime(timezone.now(), message.case.agency.tz).date()
    pdf_paragraph(pdf, today.isoformat())
    pdf_heading(pdf, message.subject)
    pdf_paragraph(pdf, message.body)
    audit_record(actor=actor, action=AuditAction.NOTICE_LETTER, obj=message)
    return pdf_bytes(pdf)
