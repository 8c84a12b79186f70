"""What became of a claimed message: not sent (suppressed or deferred at send time), sent,
failed (retried with backoff, then a task), and what the provider reported afterwards."""

from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from haven.agencies.models import Agency
from haven.audit.models import AuditAction
from haven.audit.services import audit_record
from haven.core.actor import Actor
from haven.notices import events, rules
from haven.notices.models import DUE_STATUSES, Channel, Message, MessageStatus, NoticeSettings
from haven.notices.services.opt_outs import _blocked
from haven.notices.services.specialist_tasks import (
    NO_SAFE_HOUR,
    OWED_BY_PHONE,
    _call_instead,
    _other_copy_alive,
    _staff_task,
    _still_owed,
)
from haven.notices.signals import message_delivered, message_sent

# Waits before the 2nd, 3rd, 4th and 5th attempt; the 5th failure is final.
BACKOFF = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=30), timedelta(hours=2))
MAX_ATTEMPTS = 5


def _point_safe(message: Message) -> bool:
    """The rules are read again at send time: a victim who told their specialist this morning
    that email is no longer safe must not get the email queued yesterday."""
    point = message.contact_point
    if point is None or not point.ok_to_contact:
        return False
    return point.ok_mail if message.channel == Channel.EMAIL else point.ok_text


def _settle_unsendable(
    message: Message,
    token: str,
    now: datetime,
    opted,
    config: NoticeSettings,
    agency: Agency,
    moments: dict[tuple, datetime],
) -> bool:
    """A claimed message that must not go now: suppressed (opted out, contact no longer safe,
    no safe minute ever) with a call task where the notice is still owed, or deferred to the
    next safe hour. Returns False when it may go. (`moments`: the batch's next safe moment
    for each safe window already worked out, at this `now` and these quiet hours.)"""
    point = message.contact_point
    hours = {
        "quiet_start": config.quiet_start,
        "quiet_end": config.quiet_end,
        "safe_from": point.safe_from if point else None,
        "safe_until": point.safe_until if point else None,
    }
    unsafe = _blocked(message.channel, opted) or not _point_safe(message)
    if unsafe or not rules.ever_allowed(**hours):
        _suppress_at_send(message, token, opted)
        return True
    window = (hours["safe_from"], hours["safe_until"])
    moment = moments.get(window)
    if moment is None:
        moment = moments[window] = rules.next_allowed(now, agency.tz, **hours)
    if moment <= now:
        return False
    # A retry, or a message queued a minute before quiet hours, waits for the safe hour.
    Message.objects.filter(pk=message.pk, claim_token=token, status__in=DUE_STATUSES).update(
        status=MessageStatus.DEFERRED, next_attempt_at=moment, claim_token="", updated_at=now
    )
    return True


def _suppress_at_send(message: Message, token: str, opted) -> None:
    """Taken as the worker takes a message it sends, then settled as not sent with its reason
    (opted out, contact no longer safe, no safe minute ever), and a call task where the notice
    is still owed."""
    if not Message.objects.filter(pk=message.pk, claim_token=token, status__in=DUE_STATUSES).update(
        status=MessageStatus.SENDING, attempts=F("attempts") + 1
    ):
        return
    message.attempts += 1
    if _blocked(message.channel, opted):
        if _finish(message, token, MessageStatus.SUPPRESSED, note="The person opted out.") and (
            _still_owed(message)
        ):
            _call_instead(message, OWED_BY_PHONE)
        return
    if _point_safe(message):
        note, call = NO_SAFE_HOUR, f"{NO_SAFE_HOUR} Call in their safe hours."
    else:
        note = "The contact is no longer marked safe for this channel."
        call = f"{note[:-1]}: no written channel is safe."
    if _finish(message, token, MessageStatus.SUPPRESSED, note=note) and (
        not _other_copy_alive(message)
    ):
        _call_instead(message, call)


def _finish(
    message: Message, token: str, status: str, *, provider_id: str = "", note: str = ""
) -> bool:
    """Record the outcome of this worker's claim (also after a recovery marked it uncertain:
    then we now know it left)."""
    now = timezone.now()
    system = Actor.system(message.case.agency, "notices worker")
    with transaction.atomic():
        fields = {"status": status, "updated_at": now, "claim_token": ""}
        if status == MessageStatus.SENT:
            fields |= {"sent_at": now, "provider_id": provider_id[:200], "last_error": ""}
        if note:
            fields["status_note"] = note
        updated = Message.objects.filter(
            pk=message.pk,
            claim_token=token,
            status__in=(MessageStatus.SENDING, MessageStatus.UNCERTAIN),
        ).update(**fields)
        if not updated:
            return False
        for name, value in fields.items():  # listeners of message_sent read these
            setattr(message, name, value)
        what = "sent"
        if status != MessageStatus.SENT:
            what = f"not sent: {note[:1].lower()}{note[1:].rstrip('.')}"
        events.message_event(system, message, what)
        if status == MessageStatus.SENT:
            audit_record(
                actor=system,
                action=AuditAction.NOTICE_SENT,
                obj=message,
                details={"channel": message.channel, "attempt": message.attempts},
            )
            message_sent.publish(sender=Message, message=message)
    return True


def _fail(message: Message, token: str, error: str, *, permanent: bool) -> None:
    now = timezone.now()
    final = permanent or message.attempts >= MAX_ATTEMPTS
    system = Actor.system(message.case.agency, "notices worker")
    with transaction.atomic():
        if final:
            fields = {"status": MessageStatus.FAILED, "next_attempt_at": None}
        else:
            wait = BACKOFF[min(message.attempts, len(BACKOFF)) - 1]
            fields = {"status": MessageStatus.QUEUED, "next_attempt_at": now + wait}
        updated = Message.objects.filter(
            pk=message.pk, claim_token=token, status=MessageStatus.SENDING
        ).update(**fields, last_error=error[:500], claim_token="", updated_at=now)
        if not updated or not final:
            return
        message.refresh_from_db()
        events.message_event(system, message, "failed")
        audit_record(
            actor=system,
            action=AuditAction.NOTICE_FAILED,
            obj=message,
            details={"channel": message.channel, "attempts": message.attempts},
        )
        task = _staff_task(
            message,
            f"The {message.get_channel_display().lower()} to {message.person.full_name} "
            f"({events.template_label(message.template)}) failed: reach them another way",
        )
        if task is not None:
            Message.objects.filter(pk=message.pk).update(task=task)


def message_mark_delivered(
    *, message: Message, provider_id: str = "", at: datetime | None = None
) -> bool:
    """A provider confirmed delivery (an SMS status callback). Sends message_delivered."""
    now = timezone.now()
    with transaction.atomic():
        query = Message.objects.filter(pk=message.pk, status=MessageStatus.SENT)
        if provider_id:
            query = query.filter(provider_id=provider_id)
        if not query.update(status=MessageStatus.DELIVERED, delivered_at=at or now, updated_at=now):
            return False
        message.refresh_from_db()
        events.message_event(None, message, "delivered")
        message_delivered.publish(sender=Message, message=message)
    return True


def message_mark_undelivered(*, message: Message, error: str, bounced: bool = False) -> bool:
    """A provider reported that a sent text never arrived, or an email bounced: failed, with a
    task to reach the person another way (not resent: the number or address may be wrong or
    no longer theirs). A bounce also settles an uncertain email: it left, and came back."""
    now = timezone.now()
    system = Actor.system(message.case.agency, "sms provider" if not bounced else "mail bounce")
    what = "bounced" if bounced else "was not delivered"
    statuses = [MessageStatus.SENT, MessageStatus.DELIVERED]
    if bounced:
        statuses.append(MessageStatus.UNCERTAIN)
    with transaction.atomic():
        updated = Message.objects.filter(pk=message.pk, status__in=statuses).update(
            status=MessageStatus.FAILED,
            last_error=f"{'Bounced' if bounced else 'Not delivered'}: {error}"[:500],
            updated_at=now,
        )
        if not updated:
            return False
        message.refresh_from_db()
        events.message_event(system, message, "bounced" if bounced else "not delivered")
        audit_record(
            actor=system,
            action=AuditAction.NOTICE_FAILED,
            obj=message,
            details={"channel": message.channel, "provider": error[:50]},
        )
        task = _staff_task(
            message,
            f"The {message.get_channel_display().lower()} to {message.person.full_name} "
            f"({events.template_label(message.template)}) {what} ({error[:70]}): "
            "reach them another way",
        )
        if task is not None:
            Message.objects.filter(pk=message.pk).update(task=task)
    return True
