"""A person is seen only through a case: the people on the cases the actor may see."""

from django.db.models import Q
from django.http import Http404

from haven.agencies.roles import Perm
from haven.audit.models import AuditAction
from haven.audit.services import audit_record
from haven.cases.selectors import cases_visible_to
from haven.core.actor import Actor
from haven.people.models import Person


def people_visible_to(actor: Actor):
    """People on a case the actor can see; nobody for roles without person.view."""
    if not actor.has(Perm.PERSON_VIEW):
        return Person.objects.none()
    people = Person.objects.filter(agency=actor.agency)
    if actor.sees_all_cases:
        return people
    visible_cases = cases_visible_to(actor)
    return people.filter(
        Q(cases_as_victim__in=visible_cases)
        | Q(pk__in=visible_cases.values("related_people__person"))
    ).distinct()


def access_person(actor: Actor, person_id, *, write: bool = False) -> Person:
    """The person, if the actor may see them; else 404, the same answer for "does not exist"
    and "not yours". A read is audited here; with write=True the service audits the change."""
    try:
        person = people_visible_to(actor).get(pk=int(person_id))
    except (Person.DoesNotExist, ValueError, TypeError):
        raise Http404("No such person.") from None
    if write:
        actor.require(Perm.PERSON_EDIT)
    else:
        audit_record(actor=actor, action=AuditAction.PERSON_VIEW, obj=person)
    return person
