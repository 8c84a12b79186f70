"""Reads of messages, always through the actor and the cases they may see."""

from django.db.models import QuerySet

from haven.audit.models import AuditAction
from haven.audit.services import audit_record
from haven.cases.models import Case
from haven.cases.selectors import cases_visible_to
from haven.core.actor import Actor
from haven.notices.models import Channel, Message, MessageStatus, OptOut

ATTENTION_STATUSES = (MessageStatus.FAILED, MessageStatus.UNCERTAIN)


def messages_on_case(actor: Actor, case: Case) -> QuerySet[Message]:
    return Message.objects.filter(case=case, case__in=cases_visible_to(actor)).select_related(
        "person"
    )


def messages_needing_staff(actor: Actor) -> dict[str, list[Message]]:
    """The /messages/ page: failed and uncertain messages, letters to print, calls to make."""
    base = Message.objects.filter(case__in=cases_visible_to(actor)).select_related("case", "person")
    page = {
        "attention": list(base.filter(status__in=ATTENTION_STATUSES).order_by("-updated_at")),
        "letters": list(
            base.filter(channel=Channel.LETTER, status=MessageStatus.READY).order_by("created_at")
        ),
        "calls": list(
            base.filter(channel=Channel.PHONE, status=MessageStatus.READY).order_by("created_at")
        ),
    }
    shown = [m for rows in page.values() for m in rows]
    audit_record(
        actor=actor,
        action=AuditAction.NOTICE_LIST,
        object_type="notices.message",
        details={
            "shown": sorted({m.pk for m in shown}),
            "cases": sorted({m.case_id for m in shown}),
        },
    )
    return page


def opt_outs_of(person) -> list[OptOut]:
    return list(OptOut.objects.filter(person=person, ended_at__isnull=True))
