"""Reads of messages, always through the actor and the cases they may see."""

from django.db.models import QuerySet

from haven.agencies.roles import Perm
from haven.audit.models import AuditAction
from haven.audit.services import audit_record
from haven.cases.models import Case
from haven.cases.selectors import cases_visible_to
from haven.core.actor import Actor
from haven.notices.models import (
    Channel,
    InboundKind,
    InboundState,
    InboundText,
    Message,
    MessageStatus,
    OptOut,
)

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


def texts_needing_staff(actor: Actor, *, takes_queue: bool) -> dict[str, list[InboundText]]:
    """Texts to the agency's number not handled yet: replies on the actor's cases, and, for
    those who take the agency's list, texts on no case (unknown number, several cases). Each
    read is audited (the text is a victim's words)."""
    if not actor.has(Perm.CASE_WORK):
        return {"replies": [], "unmatched": []}
    base = InboundText.objects.filter(handled_at__isnull=True, kind=InboundKind.REPLY)
    page = {
        "replies": list(
            base.filter(state=InboundState.ON_CASE, case__in=cases_visible_to(actor))
            .select_related("case", "person", "case__primary_victim")
            .order_by("received_at")
        ),
        "unmatched": list(
            base.filter(state__in=(InboundState.UNKNOWN, InboundState.TRIAGE)).order_by(
                "received_at"
            )
        )
        if takes_queue
        else [],
    }
    wanted = {pk for text in page["unmatched"] for pk in text.candidate_cases}
    numbers = dict(
        Case.objects.filter(pk__in=wanted, agency=actor.agency).values_list("pk", "number")
    )
    for text in page["unmatched"]:
        text.candidates = [(pk, numbers[pk]) for pk in text.candidate_cases if pk in numbers]
    shown = [t.pk for rows in page.values() for t in rows]
    if shown:
        audit_record(
            actor=actor,
            action=AuditAction.NOTICE_REPLY_LIST,
            object_type="notices.inboundtext",
            details={"shown": sorted(shown)},
        )
    return page


def opt_outs_of(person) -> list[OptOut]:
    return list(OptOut.objects.filter(person=person, ended_at__isnull=True))
