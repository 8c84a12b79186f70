"""Reading documents, always through the actor: the case (or the person's cases) must be one
they may see, and privileged documents only with case.privileged_notes (never a volunteer)."""

from django.db.models import Q, QuerySet

from haven.agencies.roles import Perm
from haven.cases.models import Case, NoteVisibility
from haven.cases.people_access import people_visible_to
from haven.cases.selectors import cases_visible_to
from haven.core.actor import Actor
from haven.documents.models import Document
from haven.people.models import Person


def documents_visible_to(actor: Actor) -> QuerySet[Document]:
    """Documents on a case the actor may read, or about a person they may see (with no case);
    privileged ones only for a reader who holds case.privileged_notes."""
    if not actor.has(Perm.CASE_VIEW):
        return Document.objects.none()
    documents = Document.objects.filter(agency=actor.agency).filter(
        Q(case__in=cases_visible_to(actor))
        | Q(case__isnull=True, person__in=people_visible_to(actor))
    )
    if not actor.has(Perm.NOTE_PRIVILEGED):
        documents = documents.exclude(visibility=NoteVisibility.PRIVILEGED)
    return documents


def documents_on_case(actor: Actor, case: Case) -> list[Document]:
    return list(
        documents_visible_to(actor).filter(case=case).select_related("person", "uploaded_by__user")
    )


def documents_of_person(actor: Actor, person: Person) -> list[Document]:
    """The person's own documents (no case), and those about them on cases the actor sees."""
    return list(
        documents_visible_to(actor)
        .filter(person=person)
        .select_related("case", "uploaded_by__user")
    )


def withheld_count(actor: Actor, *, case: Case | None = None, person: Person | None = None) -> int:
    """How many privileged documents the reader may not see (a volunteer is told they exist,
    as with privileged notes, never what they are)."""
    if actor.has(Perm.NOTE_PRIVILEGED):
        return 0
    documents = Document.objects.filter(agency=actor.agency, visibility=NoteVisibility.PRIVILEGED)
    if case is not None:
        return documents.filter(case=case).count()
    return documents.filter(person=person, case__isnull=True).count()
