"""Fetching one directory row or MOU for the actor: partners.view to read (caseworkers),
partners.manage to change (coordinators); another agency's row and a missing id alike answer
404."""

from django.http import Http404

from haven.agencies.roles import Perm
from haven.core.actor import Actor
from haven.partners.models import MOU, Contact, Location, Organization, Schedule, Service


def _access(actor: Actor, model, row_id, write: bool, related=()):
    actor.require(Perm.PARTNERS_MANAGE if write else Perm.PARTNERS_VIEW)
    try:
        return model.objects.select_related(*related).get(agency=actor.agency, pk=int(row_id))
    except (model.DoesNotExist, ValueError, TypeError):
        raise Http404("No such partner record.") from None


def access_organization(actor: Actor, org_id, *, write: bool = False) -> Organization:
    """A partner organization of the actor's agency. PermissionDenied without partners.view
    (partners.manage to write); 404 for a missing id and another agency's organization."""
    return _access(actor, Organization, org_id, write)


def access_service(actor: Actor, service_id, *, write: bool = False) -> Service:
    """A partner service of the actor's agency; refused and 404 as access_organization."""
    return _access(actor, Service, service_id, write, ("organization",))


def access_location(actor: Actor, location_id, *, write: bool = False) -> Location:
    return _access(actor, Location, location_id, write, ("organization",))


def access_schedule(actor: Actor, schedule_id, *, write: bool = False) -> Schedule:
    return _access(actor, Schedule, schedule_id, write, ("service",))


def access_contact(actor: Actor, contact_id, *, write: bool = False) -> Contact:
    return _access(actor, Contact, contact_id, write, ("organization",))


def access_mou(actor: Actor, mou_id, *, write: bool = False) -> MOU:
    return _access(actor, MOU, mou_id, write, ("organization",))
