"""Reaching one message (only through a case the actor may read), or one text to the
agency's number."""

from django.db.models import Q
from django.http import Http404

from haven.agencies.roles import Perm
from haven.cases.selectors import cases_visible_to
from haven.core.actor import Actor
from haven.notices.models import InboundText, Message


def access_message(actor: Actor, message_id, *, write: bool = False) -> Message:
    """The message, if its case is one the actor may read (and work, with write=True).
    Missing, another agency's, or outside the actor's cases: the same 404."""
    try:
        message = (
            Message.objects.filter(case__in=cases_visible_to(actor))
            .select_related("case__agency", "person", "task")
            .get(pk=int(message_id))
        )
    except (Message.DoesNotExist, ValueError, TypeError):
        raise Http404("No such message.") from None
    if write:
        actor.require(Perm.CASE_WORK)
    return message


def access_inbound_text(actor: Actor, text_id) -> InboundText:
    """A text to the agency's number, if the actor may handle it: one on a case the actor may
    work, or one on no case (unknown number, several cases) for those who take the agency's
    list (replies.takes_queue). Anything else, another agency's included: the same 404."""
    from haven.notices.replies import takes_queue

    if not actor.has(Perm.CASE_WORK):
        raise Http404("No such text.")
    visible = Q(case__in=cases_visible_to(actor))
    if takes_queue(actor):
        visible |= Q(case__isnull=True)
    try:
        return (
            InboundText.objects.filter(visible)
            .select_related("agency", "case")
            .get(pk=int(text_id))
        )
    except (InboundText.DoesNotExist, ValueError, TypeError):
        raise Http404("No such text.") from None
