"""The specialist's review of a held automatic message (automatic.py): Send or Discard. There
is no Edit: an automatic message is the template's words and facts only, so a text never
carries free text (docs/notices.md, "What a text may carry")."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from haven.agencies.roles import Perm
from haven.audit.models import AuditAction
from haven.audit.services import audit_record
from haven.cases.models import ClosureReview
from haven.cases.selectors import cases_visible_to
from haven.cases.services import task_complete
from haven.core.actor import Actor
from haven.notices import automatic, events
from haven.notices.investigation import message_release
from haven.notices.models import AutoKind, Message, MessageStatus
from haven.notices.services.specialist_tasks import OBLIGATION_PREFIX, _call_instead


@dataclass(frozen=True)
class Held:
    """One held automatic message: its copies (email, text) share a dedupe key."""

    first: Message
    copies: list[Message]

    @property
    def kind_label(self) -> str:
        kind = automatic.kind_of(self.first.source, self.first.template)
        return AutoKind(kind).label if kind else events.template_label(self.first.template)


def _group(message: Message) -> list[Message]:
    return list(
        Message.objects.filter(
            agency=message.agency_id, dedupe_key=message.dedupe_key, status=MessageStatus.HELD
        ).select_related("case__agency", "person", "task")
    )


def _guard(actor: Actor, message: Message) -> list[Message]:
    actor.require(Perm.CASE_WORK)
    actor.require_own(message.case)
    copies = _group(message)
    if not copies:
        raise ValidationError(gettext("This message is no longer held: it was sent or discarded."))
    return copies


def _close_task(actor: Actor, message: Message) -> None:
    task = message.task
    if task is not None and task.completed_at is None:
        with contextlib.suppress(ValidationError):  # completed meanwhile
            task_complete(actor=actor, task=task)


def held_send(*, actor: Actor, message: Message) -> int:
    """Release a held message (every copy) to the worker. Refused without case.work, for a
    case the actor may not work on, once it is no longer held, and for a closing message
    while the closing still waits for a supervisor's review. Returns how many copies."""
    copies = _guard(actor, message)
    kind = automatic.kind_of(message.source, message.template)
    if kind == AutoKind.CLOSING and message.case.closure_review == ClosureReview.PENDING:
        raise ValidationError(
            gettext(
                "The closing still waits for a supervisor's review: send this after it is approved."
            )
        )
    with transaction.atomic():
        for copy in copies:  # each to the worker, or to ready for a letter or a call
            message_release(actor=actor, message=copy)
        audit_record(
            actor=actor,
            action=AuditAction.NOTICE_HELD_SEND,
            obj=message,
            details={"copies": [m.pk for m in copies], "kind": kind or ""},
        )
    return len(copies)


def held_discard(*, actor: Actor, message: Message) -> int:
    """Discard a held message (every copy). A rights notice is still owed: it becomes a call
    to make. Same refusals as held_send (bar the closing review). Returns how many copies."""
    copies = _guard(actor, message)
    now = timezone.now()
    with transaction.atomic():
        discarded = Message.objects.filter(
            pk__in=[m.pk for m in copies], status=MessageStatus.HELD
        ).update(
            status=MessageStatus.CANCELLED,
            status_note="Discarded by the specialist after review.",
            updated_at=now,
        )
        if not discarded:
            raise ValidationError(
                gettext("This message is no longer held: it was sent or discarded.")
            )
        for copy in copies:
            events.message_event(actor, copy, "discarded after review")
        audit_record(
            actor=actor,
            action=AuditAction.NOTICE_HELD_DISCARD,
            obj=message,
            details={"copies": [m.pk for m in copies]},
        )
        _close_task(actor, copies[0])
        if message.source.startswith(OBLIGATION_PREFIX):
            _call_instead(
                copies[0],
                "The automatic message was discarded; this rights notice must reach them by phone.",
                actor=actor,
            )
    return discarded


def held_for(actor: Actor) -> list[Held]:
    """Held messages on the actor's own cases (every visible case for those who see all),
    oldest first, one entry per message with its copies."""
    cases = cases_visible_to(actor)
    if not actor.sees_all_cases:
        cases = cases.filter(assigned_to=actor.membership)
    rows = (
        Message.objects.filter(status=MessageStatus.HELD, case__in=cases)
        .select_related("case", "person")
        .order_by("created_at", "pk")
    )
    groups: dict[str, list[Message]] = {}
    for row in rows:
        groups.setdefault(row.dedupe_key, []).append(row)
    return [Held(first=copies[0], copies=copies) for copies in groups.values()]
