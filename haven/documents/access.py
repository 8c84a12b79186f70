from django.http import Http404

from haven.agencies.roles import Perm
from haven.audit.models import AuditAction
from haven.audit.services import audit_record
from haven.core.actor import Actor
from haven.documents.models import Document
from haven.documents.selectors import documents_visible_to


def access_document(
    actor: Actor,
    document_id,
    *,
    write: bool = False,
    action: AuditAction = AuditAction.DOCUMENT_VIEW,
) -> Document:
    """A document the actor may read: on a case they may see (or about a person they may see,
    when it is on no case), and, when privileged, only with case.privileged_notes.

    Missing, another agency's, outside the caseload, or privileged to a volunteer: all the same
    404. With write=True the actor must hold case.work (403) and the service that follows
    audits the change; otherwise the read is audited here as `action` (the page, or a
    download).
    """
    try:
        document = (
            documents_visible_to(actor)
            .select_related("case", "person", "uploaded_by__user")
            .get(pk=int(document_id))
        )
    except (Document.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404("No such document.") from None
    if write:
        actor.require(Perm.CASE_WORK)
    else:
        audit_record(
            actor=actor,
            action=action,
            obj=document,
            details={
                "case": document.case_id,
                "person": document.person_id,
                "kind": document.kind,
                "sha256": document.sha256,
            },
        )
    return document
