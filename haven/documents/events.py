"""The case timeline lines of documents (like haven/cases/events.py), written inside the
service's transaction: the kind of document, never its name or description."""

from django.utils import timezone

from haven.cases.models import CaseEvent, CaseEventKind
from haven.core.actor import Actor
from haven.documents.models import Document
from haven.lib.languages import stored_in_english


@stored_in_english()
def _event(actor: Actor, document: Document, summary: str) -> CaseEvent | None:
    if document.case_id is None:
        return None
    return CaseEvent.objects.create(
        agency=document.agency,
        case=document.case,
        kind=CaseEventKind.DOCUMENT,
        at=timezone.now(),
        actor=actor.membership,
        data={"summary": summary, "document": document.pk},
    )


@stored_in_english()
def document_added(actor: Actor, document: Document) -> CaseEvent | None:
    return _event(actor, document, f"{document.get_kind_display()} attached")


@stored_in_english()
def document_deleted(actor: Actor, document: Document) -> CaseEvent | None:
    # The reason is in the access log: it may say more than a volunteer reading the timeline
    # should learn about a privileged document.
    return _event(actor, document, f"{document.get_kind_display()} deleted")
