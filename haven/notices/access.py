"""Reaching one message: only through a case the actor may read."""

from django.http import Http404

from haven.agencies.roles import Perm
from haven.cases.selectors import cases_visible_to
from haven.core.actor import Actor
from haven.notices.models import Message


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
