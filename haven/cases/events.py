"""One small function per timeline line (Saleor's events.py). Called by services, inside
their transaction; `data` holds nothing a case reader may not see."""

from django.utils import timezone

from haven.cases.models import Case, CaseEvent, CaseEventKind, Contact, Note, Task
from haven.core.actor import Actor
from haven.lib.languages import stored_in_english


@stored_in_english()
def _event(actor: Actor, case: Case, kind: str, **fields) -> CaseEvent:
    return CaseEvent.objects.create(
        agency=case.agency,
        case=case,
        kind=kind,
        at=fields.pop("at", None) or timezone.now(),
        actor=actor.membership,
        **fields,
    )


@stored_in_english()
def case_opened(actor: Actor, case: Case) -> CaseEvent:
    return _event(actor, case, CaseEventKind.CREATED, data={"source": case.get_source_display()})


@stored_in_english()
def case_assigned(actor: Actor, case: Case, *, previous: str, reason: str) -> CaseEvent:
    new = case.assigned_to.display_name if case.assigned_to else "nobody"
    return _event(
        actor,
        case,
        CaseEventKind.ASSIGNED,
        data={"to": new, "from": previous, "reason": reason},
    )


@stored_in_english()
def status_changed(actor: Actor, case: Case, *, previous: str) -> CaseEvent:
    return _event(
        actor,
        case,
        CaseEventKind.STATUS_CHANGED,
        data={"from": previous, "to": case.get_status_display(), "reason": case.status_reason},
    )


@stored_in_english()
def contact_logged(actor: Actor, contact: Contact) -> CaseEvent:
    return _event(
        actor, contact.case, CaseEventKind.CONTACT_LOGGED, at=contact.occurred_at, contact=contact
    )


@stored_in_english()
def note_added(actor: Actor, note: Note) -> CaseEvent:
    return _event(actor, note.case, CaseEventKind.NOTE_ADDED, at=note.created_at, note=note)


@stored_in_english()
def task_added(actor: Actor, task: Task) -> CaseEvent:
    return _event(actor, task.case, CaseEventKind.TASK_ADDED, task=task)


@stored_in_english()
def task_completed(actor: Actor, task: Task) -> CaseEvent:
    return _event(actor, task.case, CaseEventKind.TASK_COMPLETED, at=task.completed_at, task=task)


@stored_in_english()
def person_added(actor: Actor, case: Case, *, name: str, relation: str) -> CaseEvent:
    return _event(
        actor, case, CaseEventKind.PERSON_ADDED, data={"name": name, "relation": relation}
    )


@stored_in_english()
def closure_reviewed(actor: Actor, case: Case, *, summary: str) -> CaseEvent:
    return _event(actor, case, CaseEventKind.REVIEW, data={"summary": summary})


@stored_in_english()
def investigation_changed(actor: Actor, case: Case, *, summary: str) -> CaseEvent:
    """The police investigation status (or detective) of the case's report changed."""
    return _event(actor, case, CaseEventKind.INVESTIGATION, data={"summary": summary})
