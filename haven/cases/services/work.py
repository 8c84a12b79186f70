"""The work on an open case: notes, tasks and the other people it serves."""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from haven.agencies.models import Membership
from haven.agencies.roles import CASEWORKER_ROLES, Perm
from haven.audit.models import AuditAction
from haven.audit.services import audit_record
from haven.cases import events
from haven.cases.models import (
    Case,
    CasePerson,
    Note,
    NoteVisibility,
    Relation,
    Task,
)
from haven.cases.services.checks import check_assignee, too_long_message
from haven.core.actor import Actor
from haven.lib.languages import in_english
from haven.people.models import Person


def note_add(
    *, actor: Actor, case: Case, body: str, visibility: str = NoteVisibility.PRIVILEGED
) -> Note:
    """Add a note. Privileged notes stay within victim services; notes are never edited.
    Refused: a privileged note by someone without case.privileged_notes (a volunteer)."""
    actor.require(Perm.CASE_WORK)
    actor.require_own(case)
    body = body.strip()
    errors = {}
    if not body:
        errors["body"] = "Write the note before saving it."
    if visibility not in NoteVisibility.values:
        errors["visibility"] = f"Unknown visibility {visibility!r}."
    elif visibility == NoteVisibility.PRIVILEGED and not actor.has(Perm.NOTE_PRIVILEGED):
        errors["visibility"] = (
            "Volunteers and interns may not write privileged notes: choose "
            "“Shareable with consent”, or ask your advocate to write this note."
        )
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        note = Note.objects.create(
            agency=case.agency, case=case, body=body, visibility=visibility, author=actor.membership
        )
        events.note_added(actor, note)
        audit_record(
            actor=actor,
            action=AuditAction.NOTE_ADD,
            obj=note,
            details={"case": case.pk, "visibility": visibility},
        )
    return note


def task_add(
    *, actor: Actor, case: Case, title: str, due_at: datetime, assignee: Membership | None = None
) -> Task:
    """Add a task with a due time; it goes to the case's specialist unless another is named,
    else to whoever adds it if they hold cases (an officer does not: it then waits unassigned,
    like the case, for whoever takes it)."""
    actor.require(Perm.CASE_WORK)
    actor.require_own(case)
    title = title.strip()
    if not title:
        raise ValidationError({"title": gettext("Say what needs doing.")})
    if too_long := too_long_message(Task, "title", title):
        raise ValidationError({"title": too_long})
    if not case.is_open:
        raise ValidationError(gettext("This case is closed. Reopen it to add tasks."))
    adder = actor.membership if actor.role in CASEWORKER_ROLES else None
    assignee = assignee or case.assigned_to or adder
    check_assignee(actor, assignee)
    with transaction.atomic():
        task = Task.objects.create(
            agency=case.agency,
            case=case,
            title=title,
            due_at=due_at,
            assignee=assignee,
            created_by=actor.membership,
        )
        events.task_added(actor, task)
        audit_record(actor=actor, action=AuditAction.TASK_ADD, obj=task, details={"case": case.pk})
    return task


def task_complete(*, actor: Actor, task: Task) -> Task:
    """Mark a task done. Completing it twice is refused, so nobody's record is overwritten."""
    actor.require(Perm.CASE_WORK)
    actor.require_own(task)
    with transaction.atomic():
        claimed = Task.objects.filter(pk=task.pk, completed_at__isnull=True).update(
            completed_at=timezone.now(), completed_by=actor.membership
        )
        if not claimed:
            raise ValidationError(gettext("This task was already completed."))
        task.refresh_from_db(fields=["completed_at", "completed_by"])
        events.task_completed(actor, task)
        audit_record(
            actor=actor, action=AuditAction.TASK_COMPLETE, obj=task, details={"case": task.case_id}
        )
    return task


def case_add_person(
    *, actor: Actor, case: Case, person: Person, relation: str, is_served: bool = True
) -> CasePerson:
    """Add a family member, friend or guardian to the case, served by it or not."""
    actor.require(Perm.CASE_WORK)
    actor.require_own(case)
    if relation not in Relation.values:
        raise ValidationError({"relation": f"Unknown relation {relation!r}."})
    if person.agency_id != case.agency_id:
        raise ValidationError({"person": gettext("The person is not of this agency.")})
    if person.pk == case.primary_victim_id or case.related_people.filter(person=person).exists():
        raise ValidationError({"person": f"{person.full_name} is already on this case."})
    with transaction.atomic():
        link = CasePerson.objects.create(
            agency=case.agency, case=case, person=person, relation=relation, is_served=is_served
        )
        events.person_added(
            actor,
            case,
            name=person.full_name,
            relation=in_english(lambda: Relation(relation).label),
        )
        audit_record(
            actor=actor,
            action=AuditAction.CASE_PERSON_ADD,
            obj=case,
            details={"person": person.pk, "relation": relation},
        )
    return link
