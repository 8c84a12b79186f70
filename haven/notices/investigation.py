"""Telling the victim that the police investigation status of their report changed, and
sending a held message once the specialist has looked at it.

The incidents app publishes cases.investigation_status_changed (after commit) for each open
case with the report; what happens then is the agency's notice setting: for a domestic-violence
case the message is held for the specialist's review by default (never sent by itself), for
other cases nothing is sent by default (docs/notices.md). The message says only where the
investigation stands, in the victim's language, with no detail of the crime; the text message
does not even say that.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from haven.audit.models import AuditAction
from haven.audit.services import audit_record
from haven.cases.models import Case, Task
from haven.cases.services import task_complete
from haven.core.actor import Actor
from haven.core.scoping import agency_scope, all_agencies
from haven.notices import events, rules
from haven.notices.models import (
    AUTOMATIC_CHANNELS,
    Message,
    MessageStatus,
    UpdateMode,
)
from haven.notices.services import message_queue, notice_settings
from haven.notices.services.queueing import _kick
from haven.notices.services.specialist_tasks import _ready_task
from haven.notices.services.staff_actions import _staff_change

TEMPLATE = "investigation_status"


def on_investigation_status(case_id: int, *, status: str, domestic_violence: bool, key: str):
    """cases.investigation_status_changed: queue, hold or skip the victim's message."""
    with all_agencies():
        agency_id = Case.objects.filter(pk=case_id).values_list("agency_id", flat=True).first()
    if agency_id is None:
        return []
    with agency_scope(agency_id):
        case = Case.objects.select_related("agency", "assigned_to", "primary_victim").get(
            pk=case_id
        )
        config = notice_settings(case.agency)
        mode = (
            config.investigation_status_dv
            if domestic_violence
            else config.investigation_status_other
        )
        if mode == UpdateMode.OFF or not case.is_open:
            return []
        return message_queue(
            actor=Actor.system(case.agency, "notices"),
            case=case,
            person=case.primary_victim,
            template=TEMPLATE,
            facts={"status": status},
            dedupe_key=f"investigation:{case.pk}:{key}",
            source="update:investigation_status",
            hold=mode == UpdateMode.HELD,
        )


def message_release(*, actor: Actor, message: Message) -> Message:
    """The specialist reviewed a held message: it goes out now (in the agency's quiet-hours
    order and the person's safe hours), or, for a letter or a call, waits for them."""
    _staff_change(actor, message)
    now = timezone.now()
    if message.channel in AUTOMATIC_CHANNELS:
        point = message.contact_point
        config = notice_settings(message.case.agency)
        moment = rules.next_allowed(
            now,
            message.case.agency.tz,
            quiet_start=config.quiet_start,
            quiet_end=config.quiet_end,
            safe_from=point.safe_from if point else None,
            safe_until=point.safe_until if point else None,
        )
        status = MessageStatus.DEFERRED if moment > now else MessageStatus.QUEUED
        fields = {"next_attempt_at": moment}
    else:
        status, fields = MessageStatus.READY, {}
    with transaction.atomic():
        updated = Message.objects.filter(pk=message.pk, status=MessageStatus.HELD).update(
            status=status,
            status_note="Sent after the specialist's review.",
            updated_at=now,
            **fields,
        )
        if not updated:
            raise ValidationError(gettext("Only a message held for review can be sent from here."))
        message.refresh_from_db()
        _review_done(actor, message)
        events.message_event(actor, message, "sent after the specialist's review")
        audit_record(actor=actor, action=AuditAction.NOTICE_RELEASE, obj=message)
        if status == MessageStatus.READY:
            _ready_task(message)
    if status == MessageStatus.QUEUED:
        agency_id = message.agency_id
        transaction.on_commit(lambda: _kick(agency_id))
    return message


def _review_done(actor: Actor, message: Message) -> None:
    """The review task is done once no message it covers is still held."""
    if message.task_id is None:
        return
    if Message.objects.filter(task_id=message.task_id, status=MessageStatus.HELD).exists():
        return
    task = Task.objects.get(pk=message.task_id)
    if task.completed_at is None:
        task_complete(actor=actor, task=task)
