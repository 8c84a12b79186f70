"""The case timeline lines of services (like haven/cases/events.py), written inside the
service's transaction. `data` holds only the category and sub-service: nothing about the
person, and never the note."""

from django.utils import timezone

from haven.assistance import catalog
from haven.assistance.models import ServiceProvided
from haven.cases.models import CaseEvent, CaseEventKind
from haven.core.actor import Actor
from haven.lib.languages import stored_in_english

# Not (yet) a member of cases.models.CaseEventKind: the kind column has no choices, and the
# timeline shows an unknown kind by its code until the member is added there.
SERVICE_REMOVED = "service_removed"


@stored_in_english()
def _event(actor: Actor, service: ServiceProvided, kind: str, **fields) -> CaseEvent:
    return CaseEvent.objects.create(
        agency=service.agency,
        case=service.case,
        kind=kind,
        at=fields.pop("at", None) or timezone.now(),
        actor=actor.membership,
        **fields,
    )


@stored_in_english()
def service_provided(actor: Actor, service: ServiceProvided) -> CaseEvent:
    return _event(
        actor,
        service,
        CaseEventKind.SERVICE_PROVIDED,
        at=service.provided_at,
        data={"summary": catalog.summary(service.sub_service)},
    )


@stored_in_english()
def service_removed(actor: Actor, service: ServiceProvided) -> CaseEvent:
    return _event(
        actor,
        service,
        SERVICE_REMOVED,
        at=service.removed_at,
        data={"summary": catalog.summary(service.sub_service)},
    )
