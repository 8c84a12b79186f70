"""Opt-outs: a person stops a channel (or all messages), at once, and may want it again."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from haven.agencies.roles import Perm
from haven.audit.models import AuditAction
from haven.audit.services import audit_record
from haven.core.actor import Actor
from haven.notices import events
from haven.notices.models import (
    DUE_STATUSES,
    Channel,
    Message,
    MessageStatus,
    OptOut,
    OptOutChannel,
)
from haven.notices.services.specialist_tasks import OWED_BY_PHONE, _call_instead, _still_owed
from haven.people.models import Person


def opted_out_channels(person: Person) -> set[str]:
    return set(
        OptOut.objects.filter(person=person, ended_at__isnull=True).values_list(
            "channel", flat=True
        )
    )


def _blocked(channel: str, opted: set[str]) -> bool:
    if OptOutChannel.ALL in opted:
        return channel in (Channel.EMAIL, Channel.SMS, Channel.LETTER)
    return channel in opted


def opt_out_record(*, actor: Actor, person: Person, channel: str, via: str = "staff") -> OptOut:
    """The person stops a channel (or all messages). Takes effect at once: queued messages on
    that channel are suppressed, and message_queue skips it from now on."""
    actor.require_own(person)
    if via == "staff":
        actor.require(Perm.PERSON_EDIT)
    if channel not in OptOutChannel.values:
        raise ValidationError({"channel": gettext("Choose email, text messages, or all messages.")})
    now = timezone.now()
    with transaction.atomic():
        existing = OptOut.objects.filter(
            person=person, channel=channel, ended_at__isnull=True
        ).first()
        opt_out = existing or OptOut.objects.create(
            agency=person.agency,
            person=person,
            channel=channel,
            via=via,
            recorded_by=actor.membership,
            created_at=now,
        )
        channels = (
            [Channel.EMAIL, Channel.SMS, Channel.LETTER]
            if channel == OptOutChannel.ALL
            else [channel]
        )
        pending = list(
            Message.objects.filter(
                person=person,
                channel__in=channels,
                status__in=(*DUE_STATUSES, MessageStatus.READY),
            )
        )
        called: set[str] = set()
        for message in pending:
            updated = Message.objects.filter(pk=message.pk, status=message.status).update(
                status=MessageStatus.SUPPRESSED,
                status_note="The person opted out of this channel.",
                updated_at=now,
            )
            if updated:
                events.message_event(actor, message, "not sent: the person opted out")
        for message in pending:
            # A rights notice the person must still hear of: the duty remains, by phone.
            if _still_owed(message) and message.dedupe_key not in called:
                called.add(message.dedupe_key)
                _call_instead(message, OWED_BY_PHONE, actor=actor)
        if existing is None:
            audit_record(
                actor=actor,
                action=AuditAction.NOTICE_OPT_OUT,
                obj=opt_out,
                details={"person": person.pk, "channel": channel, "via": via},
            )
    return opt_out


def opt_in_record(*, actor: Actor, person: Person, channel: str) -> int:
    """Staff record that the person wants a channel again; returns how many opt-outs ended."""
    actor.require(Perm.PERSON_EDIT)
    actor.require_own(person)
    with transaction.atomic():
        ended = OptOut.objects.filter(person=person, channel=channel, ended_at__isnull=True).update(
            ended_at=timezone.now(), ended_by=actor.membership
        )
        if ended:
            audit_record(
                actor=actor,
                action=AuditAction.NOTICE_OPT_IN,
                obj=person,
                details={"channel": channel},
            )
    return ended
