"""Fetching one roster row (a shift, a pattern slot, a holiday) for a supervisor or
coordinator: another agency's row and a missing id alike answer 404."""

from django.http import Http404

from haven.agencies.roles import Perm
from haven.core.actor import Actor
from haven.oncall.models import Holiday, OnCallPattern, OnCallShift


def _access(actor: Actor, model, row_id):
    actor.require(Perm.CASE_ASSIGN)
    try:
        return model.objects.select_related("member__user").get(agency=actor.agency, pk=int(row_id))
    except (model.DoesNotExist, ValueError, TypeError):
        raise Http404("No such roster entry.") from None


def access_shift(actor: Actor, shift_id) -> OnCallShift:
    """A shift of the actor's agency. PermissionDenied without case.assign; 404 for a missing
    id and for another agency's shift."""
    return _access(actor, OnCallShift, shift_id)


def access_slot(actor: Actor, slot_id) -> OnCallPattern:
    """A weekly pattern slot of the actor's agency; refused and 404 as access_shift."""
    return _access(actor, OnCallPattern, slot_id)


def access_holiday(actor: Actor, holiday_id) -> Holiday:
    """A holiday of the actor's agency; refused and 404 as access_shift."""
    return _access(actor, Holiday, holiday_id)
