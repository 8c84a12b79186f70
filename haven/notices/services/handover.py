"""The line a crash cannot cross twice: handing a claimed message over for sending, and
recording what was sent under a claim (its timeline line, audit event and message_sent)."""

from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from haven.agencies.models import Agency
from haven.audit.models import AuditAction
from haven.audit.services import audit_record_many
from haven.core.actor import Actor
from haven.notices import events
from haven.notices.models import DUE_STATUSES, Message, MessageStatus
from haven.notices.signals import message_sent

# Where a message recorded as sent under a claim may be by the time its batch is logged (a
# provider's report may come first). Only one whose sent_at is from this claim counts: an
# uncertain message that bounced (failed) never was recorded as sent.
SENT_LIKE = (MessageStatus.SENT, MessageStatus.DELIVERED, MessageStatus.FAILED)


def _hand_over(message: Message, token: str, pending: Message | None) -> bool:
    """Record the previous message as sent and take this one ("sending") at once: the line a
    crash cannot cross twice. One UPDATE does both (a statement is atomic on its own, so no
    transaction to open: one round trip per message), with the conditions of _mark_sent for
    the previous one and of the claim for this one."""
    table = connection.ops.quote_name(Message._meta.db_table)
    due = list(DUE_STATUSES)
    marks = ", ".join(["%s"] * len(due))
    taking = f"id = %s AND claim_token = %s AND agency_id = %s AND status IN ({marks})"
    take = [message.pk, token, message.agency_id, *due]
    if pending is None:
        sql = f"UPDATE {table} SET status = %s, attempts = attempts + 1 WHERE {taking}"  # noqa: S608
        params = [MessageStatus.SENDING, *take]
        expected = 1
    else:
        now = timezone.now()
        at = connection.ops.adapt_datetimefield_value(now)
        provider_id = pending.provider_id[:200]
        sets = (
            "status = CASE WHEN id = %s THEN %s ELSE %s END, "
            "attempts = CASE WHEN id = %s THEN attempts + 1 ELSE attempts END, "
            "sent_at = CASE WHEN id = %s THEN sent_at ELSE %s END, "
            "provider_id = CASE WHEN id = %s THEN provider_id ELSE %s END, "
            "last_error = CASE WHEN id = %s THEN last_error ELSE %s END, "
            "updated_at = CASE WHEN id = %s THEN updated_at ELSE %s END"
        )
        previous = "id = %s AND claim_token = %s AND status IN (%s, %s)"
        # The table's name and placeholders only: every value is a parameter.
        sql = f"UPDATE {table} SET {sets} WHERE ({taking}) OR ({previous})"  # noqa: S608
        pk = message.pk
        params = [
            *(pk, MessageStatus.SENDING, MessageStatus.SENT),
            pk,
            *(pk, at),
            *(pk, provider_id),
            *(pk, ""),
            *(pk, at),
            *take,
            *(pending.pk, token, MessageStatus.SENDING, MessageStatus.UNCERTAIN),
        ]
        expected = 2
        fields = {"status": MessageStatus.SENT, "sent_at": now, "provider_id": provider_id}
        for name, value in (fields | {"last_error": "", "updated_at": now}).items():
            setattr(pending, name, value)  # listeners of message_sent read these
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        updated = cursor.rowcount
    handed = updated == expected or (
        # Fewer rows: was it the previous one that had moved on (a bounce already), or this one
        # (cancelled, suppressed)? Only this claim hands a message over, so its status says.
        0 < updated < expected
        and Message.objects.filter(
            pk=message.pk, claim_token=token, status=MessageStatus.SENDING
        ).exists()
    )
    if handed:
        message.status = MessageStatus.SENDING
        message.attempts += 1
    return handed


def _mark_sent(message: Message, token: str) -> None:
    """The mail server or provider accepted it (also after a recovery marked it uncertain:
    then we now know it left). The claim token stays until _log_sent has written the rest."""
    now = timezone.now()
    fields = {
        "status": MessageStatus.SENT,
        "sent_at": now,
        "provider_id": message.provider_id[:200],
        "last_error": "",
        "updated_at": now,
    }
    Message.objects.filter(
        pk=message.pk,
        claim_token=token,
        status__in=(MessageStatus.SENDING, MessageStatus.UNCERTAIN),
    ).update(**fields)
    for name, value in fields.items():  # listeners of message_sent read these
        setattr(message, name, value)


def _log_sent(
    token: str, messages: list[Message] | None = None, *, agency: Agency | None = None
) -> int:
    """The timeline line, the audit event and message_sent of each message of this claim
    recorded as sent, once: whoever clears the claim token writes them. (`messages` and their
    `agency`: what the worker has in hand; else they are read.)"""
    with transaction.atomic():
        ids = list(
            Message.objects.select_for_update()
            .filter(claim_token=token, status__in=SENT_LIKE, sent_at__gte=F("claimed_at"))
            .values_list("pk", flat=True)
        )
        if not ids:
            return 0
        Message.objects.filter(pk__in=ids).update(claim_token="")
        if messages is None:
            messages = list(
                Message.objects.filter(pk__in=ids).select_related("case__agency", "person")
            )
        else:
            logged = set(ids)
            messages = [message for message in messages if message.pk in logged]
        system = Actor.system(agency or messages[0].case.agency, "notices worker")
        events.message_events(system, messages, "sent")
        audit_record_many(
            actor=system,
            action=AuditAction.NOTICE_SENT,
            records=[
                (message, {"channel": message.channel, "attempt": message.attempts})
                for message in messages
            ],
        )
        for message in messages:
            message.claim_token = ""
            message_sent.publish(sender=Message, message=message)
    return len(messages)
