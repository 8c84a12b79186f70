"""Every change to a case. Each service takes the acting staff member, checks permission,
guards the current status, validates, saves, writes the timeline event and the audit event,
all in one transaction."""

from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext

from haven.agencies.models import Agency, District, Membership
from haven.agencies.roles import CASEWORKER_ROLES, Perm, Role
from haven.audit.models import AuditAction
from haven.audit.services import audit_record
from haven.cases import events, hooks, signals
from haven.cases.models import (
    OPEN_STATUSES,
    Assignment,
    AttemptResult,
    Case,
    CasePerson,
    CaseSource,
    CaseStatus,
    CaseVictimization,
    CloseReason,
    ClosureReview,
    Contact,
    ContactChannel,
    ContactDirection,
    ContactOutcome,
    Note,
    NoteVisibility,
    Priority,
    Relation,
    Task,
)
from haven.core.actor import Actor
from haven.lib.languages import in_english
from haven.lib.reference import choices
from haven.people.models import Person

# A clock a few minutes fast on a phone should not refuse a contact logged "now".
CLOCK_SKEW = timedelta(minutes=5)
VICTIMIZATION_CODES = {code for code, _ in choices("pmt", "victimization_types")}


def next_case_number(agency: Agency, year: int) -> str:
    """A readable, never reused number: "2026-000042". The counter row is bumped by a
    conditional update, so concurrent openings on many servers never share a number."""
    Agency.objects.filter(pk=agency.pk).update(last_case_number=F("last_case_number") + 1)
    number = Agency.objects.values_list("last_case_number", flat=True).get(pk=agency.pk)
    return f"{year}-{number:06d}"


def _too_long(model, field: str, value: str) -> str:
    """An error message when the value will not fit its column, else "". SQLite would keep the
    whole text and PostgreSQL refuse the insert outright; both should say what to fix."""
    limit = model._meta.get_field(field).max_length
    return f"Keep it to {limit} characters." if len(value) > limit else ""


def _check_assignee(actor: Actor, assignee: Membership | None) -> None:
    if assignee is None:
        return
    if assignee.role == Role.VOLUNTEER:
        raise ValidationError(
            {
                "assignee": f"{assignee.display_name} is a volunteer or intern and may not "
                "hold a case: assign it to an advocate, who can ask them to help on it."
            }
        )
    if (
        assignee.agency_id != actor.agency.pk
        or not assignee.is_active
        or assignee.role not in CASEWORKER_ROLES
    ):
        raise ValidationError({"assignee": gettext("Choose an active specialist of this agency.")})


def case_open(
    *,
    actor: Actor,
    victim: Person,
    source: str,
    received_at: datetime,
    victimizations: list[str],
    report_number: str = "",
    district: District | None = None,
    narrative: str = "",
    priority: str = Priority.NORMAL,
    assignee: Membership | None = None,
) -> Case:
    """Open a case for a victim. A police report number is optional.

    Refused without case.create; assigning to someone else needs case.assign.
    """
    actor.require(Perm.CASE_CREATE)
    errors = {}
    if victim.agency_id != actor.agency.pk:
        errors["victim"] = "The victim is not a person of this agency."
    if source not in CaseSource.values:
        errors["source"] = f"Unknown source {source!r}."
    if priority not in Priority.values:
        errors["priority"] = f"Unknown priority {priority!r}."
    if received_at > timezone.now() + CLOCK_SKEW:
        errors["received_at"] = "The time received is in the future."
    unknown = sorted(set(victimizations) - VICTIMIZATION_CODES)
    if unknown:
        errors["victimizations"] = f"Unknown victimization types: {', '.join(unknown)}."
    if too_long := _too_long(Case, "report_number", report_number.strip()):
        errors["report_number"] = too_long
    if district is not None and district.agency_id != actor.agency.pk:
        errors["district"] = "The district is not one of this agency's."
    if errors:
        raise ValidationError(errors)
    _check_assignee(actor, assignee)
    if assignee is not None and assignee != actor.membership:
        actor.require(Perm.CASE_ASSIGN)
    with transaction.atomic():
        year = timezone.localtime(received_at, actor.agency.tz).year
        case = Case.objects.create(
            agency=actor.agency,
            number=next_case_number(actor.agency, year),
            primary_victim=victim,
            source=source,
            received_at=received_at,
            report_number=report_number.strip(),
            district=district,
            narrative=narrative,
            priority=priority,
            assigned_to=assignee,
            created_by=actor.membership,
        )
        CaseVictimization.objects.bulk_create(
            CaseVictimization(agency=actor.agency, case=case, code=code)
            for code in sorted(set(victimizations))
        )
        events.case_opened(actor, case)
        if assignee is not None:
            Assignment.objects.create(
                agency=actor.agency,
                case=case,
                assignee=assignee,
                assigned_by=actor.membership,
                started_at=timezone.now(),
            )
            events.case_assigned(actor, case, previous="nobody", reason="")
        audit_record(
            actor=actor,
            action=AuditAction.CASE_CREATE,
            obj=case,
            # The assignment made at opening is a change of who holds the case: log it too.
            details={
                "source": source,
                "victim": victim.pk,
                "assignee": assignee.pk if assignee else None,
            },
        )
        # What apps above cases start with a case (a protocol for its victimization type).
        hooks.case_opened(actor, case)
    return case


def case_assign(*, actor: Actor, case: Case, assignee: Membership | None, reason: str = "") -> Case:
    """Give the case to a specialist (or to nobody), closing the previous assignment.

    Supervisors and coordinators assign anyone; a specialist may only take an unassigned
    case for themselves. Closed cases are not reassigned: reopen first.
    """
    actor.require_own(case)
    if not actor.has(Perm.CASE_ASSIGN):
        taking_unassigned = (
            case.assigned_to_id is None
            and assignee is not None
            and assignee == actor.membership
            and actor.has(Perm.CASE_WORK)
        )
        if not taking_unassigned:
            raise PermissionDenied("Only a supervisor can reassign a case.")
    if not case.is_open:
        raise ValidationError(gettext("This case is closed. Reopen it before assigning it."))
    reason = reason.strip()
    if too_long := _too_long(Assignment, "reason", reason):
        raise ValidationError({"reason": too_long})
    _check_assignee(actor, assignee)
    if assignee == case.assigned_to:
        return case
    previous = case.assigned_to.display_name if case.assigned_to else "nobody"
    now = timezone.now()
    with transaction.atomic():
        Assignment.objects.filter(case=case, ended_at__isnull=True).update(ended_at=now)
        if assignee is not None:
            Assignment.objects.create(
                agency=case.agency,
                case=case,
                assignee=assignee,
                assigned_by=actor.membership,
                reason=reason,
                started_at=now,
            )
        case.assigned_to = assignee
        case.save(update_fields=["assigned_to", "updated_at"])
        events.case_assigned(actor, case, previous=previous, reason=reason)
        audit_record(
            actor=actor,
            action=AuditAction.CASE_ASSIGN,
            obj=case,
            reason=reason,
            details={"to": assignee.pk if assignee else None},
        )
        if assignee is not None:
            signals.case_assigned.publish(sender=Case, case_id=case.pk, assignee_id=assignee.pk)
    return case


# Which status may follow which; the ended ones reopen to active.
ALLOWED_MOVES = {
    CaseStatus.NEW: {
        CaseStatus.ACTIVE,
        CaseStatus.CLOSED,
        CaseStatus.DECLINED,
        CaseStatus.UNABLE_TO_CONTACT,
    },
    CaseStatus.ACTIVE: {CaseStatus.CLOSED, CaseStatus.DECLINED, CaseStatus.UNABLE_TO_CONTACT},
    CaseStatus.CLOSED: {CaseStatus.ACTIVE},
    CaseStatus.DECLINED: {CaseStatus.ACTIVE},
    CaseStatus.UNABLE_TO_CONTACT: {CaseStatus.ACTIVE},
}


def case_change_status(
    *, actor: Actor, case: Case, status: str, reason: str = "", close_reason: str = ""
) -> Case:
    """Move the case to another status, keeping the whole history on the timeline.

    Closing needs a close reason (CloseReason; without one it is "other", which needs words);
    declining and "unable to
    contact" need words, and the latter at least one logged attempt. Reopening needs words and
    clears the end. Where the agency wants closures reviewed, an advocate's ending waits for a
    supervisor (case_closure_review); a supervisor's does not.
    """
    actor.require(Perm.CASE_WORK)
    actor.require_own(case)
    if status not in CaseStatus.values:
        raise ValidationError({"status": f"Unknown status {status!r}."})
    if status not in ALLOWED_MOVES[CaseStatus(case.status)]:
        raise ValidationError(
            {
                "status": f"A {case.get_status_display().lower()} case cannot become "
                f"{CaseStatus(status).label.lower()}."
            }
        )
    reason = reason.strip()
    if status == CaseStatus.CLOSED and not close_reason:
        close_reason = CloseReason.OTHER  # the words alone say why
    ending = status not in OPEN_STATUSES
    reopening = status in OPEN_STATUSES and case.status not in OPEN_STATUSES
    _check_status_reason(case, status, reason, close_reason)
    if status == CaseStatus.CLOSED and not reason:
        reason = in_english(lambda: CloseReason(close_reason).label)
    if too_long := _too_long(Case, "status_reason", reason):
        raise ValidationError({"reason": too_long})
    review = ClosureReview.NONE
    if ending and case.agency.closure_review_required and not actor.has(Perm.CASE_ASSIGN):
        review = ClosureReview.PENDING
    previous, previous_status = in_english(case.get_status_display), case.status
    with transaction.atomic():
        case.status = status
        case.status_reason = reason
        case.close_reason = close_reason if status == CaseStatus.CLOSED else ""
        case.closed_at = timezone.now() if ending else None
        case.closure_review = review
        case.closure_reviewed_by, case.closure_reviewed_at = None, None
        case.save(update_fields=[*STATUS_FIELDS, "updated_at"])
        events.status_changed(actor, case, previous=previous)
        audit_record(
            actor=actor,
            action=AuditAction.CASE_STATUS,
            obj=case,
            reason=reason,
            # Codes at both ends (the timeline shows the labels).
            details={
                "from": previous_status,
                "to": status,
                "close_reason": case.close_reason,
                "review": review,
                "reopened": reopening,
            },
        )
        # Only a final closing is announced: one waiting for a supervisor's review is
        # announced when the review approves it (case_closure_review).
        if status == CaseStatus.CLOSED and review == ClosureReview.NONE:
            signals.case_closed.publish(sender=Case, case_id=case.pk)
    return case


STATUS_FIELDS = [
    "status",
    "status_reason",
    "close_reason",
    "closed_at",
    "closure_review",
    "closure_reviewed_by",
    "closure_reviewed_at",
]


def _check_status_reason(case: Case, status: str, reason: str, close_reason: str) -> None:
    if status == CaseStatus.CLOSED:
        if close_reason not in CloseReason.values:
            raise ValidationError({"close_reason": gettext("Choose why the case is closed.")})
        if close_reason == CloseReason.OTHER and not reason:
            raise ValidationError({"reason": gettext("Say why the case is closed.")})
    elif close_reason:
        raise ValidationError({"close_reason": gettext("A close reason goes with closing only.")})
    elif status not in OPEN_STATUSES and not reason:
        raise ValidationError({"reason": gettext("Say why the case ends.")})
    elif status in OPEN_STATUSES and case.status not in OPEN_STATUSES and not reason:
        raise ValidationError({"reason": gettext("Say why the case reopens.")})
    if status == CaseStatus.UNABLE_TO_CONTACT and not case.contacts.exists():
        raise ValidationError(
            {
                "status": gettext(
                    "Log the attempts to reach the victim first: a case is unable to contact "
                    "only after trying."
                )
            }
        )


def case_closure_review(*, actor: Actor, case: Case, approve: bool, note: str = "") -> Case:
    """A supervisor's look at an advocate's closing: approve it, or return the case to the
    specialist (it reopens as active, with the note saying what is left to do)."""
    actor.require(Perm.CASE_ASSIGN)
    actor.require_own(case)
    if case.closure_review != ClosureReview.PENDING:
        raise ValidationError(
            gettext("This closing is not waiting for a review (reload the page).")
        )
    note = note.strip()
    if not approve and not note:
        raise ValidationError(
            {"note": gettext("Say what is left to do before the case can close.")}
        )
    if too_long := _too_long(Case, "status_reason", note):
        raise ValidationError({"note": too_long})
    previous = in_english(case.get_status_display)
    with transaction.atomic():
        claimed = Case.objects.filter(pk=case.pk, closure_review=ClosureReview.PENDING).update(
            closure_review=ClosureReview.APPROVED if approve else ClosureReview.NONE,
            closure_reviewed_by=actor.membership,
            closure_reviewed_at=timezone.now(),
        )
        if not claimed:
            raise ValidationError(gettext("Someone else reviewed this closing first."))
        case.refresh_from_db()
        if approve:
            events.closure_reviewed(actor, case, summary="Closing approved")
            if case.status == CaseStatus.CLOSED:
                signals.case_closed.publish(sender=Case, case_id=case.pk)
        else:
            case.status, case.status_reason, case.close_reason = CaseStatus.ACTIVE, note, ""
            case.closed_at = None
            case.save(update_fields=[*STATUS_FIELDS, "updated_at"])
            events.closure_reviewed(actor, case, summary="Returned to the specialist")
            events.status_changed(actor, case, previous=previous)
        audit_record(
            actor=actor,
            action=AuditAction.CASE_CLOSURE_REVIEW,
            obj=case,
            reason=note,
            details={"approved": approve},
        )
    return case


def contact_log(
    *,
    actor: Actor,
    case: Case,
    outcome: str,
    channel: str,
    direction: str,
    occurred_at: datetime,
    summary: str = "",
    attempt_result: str = "",
    duration_minutes: int | None = None,
    person: Person | None = None,
) -> Contact:
    """Log a contact attempt or a completed contact.

    The first completed contact with the primary victim sets the case's first-contact time
    and moves a new case to active.
    """
    actor.require(Perm.CASE_WORK)
    actor.require_own(case)
    errors = {}
    if outcome not in ContactOutcome.values:
        errors["outcome"] = "Say whether the contact was attempted or completed."
    if channel not in ContactChannel.values:
        errors["channel"] = f"Unknown channel {channel!r}."
    if direction not in ContactDirection.values:
        errors["direction"] = f"Unknown direction {direction!r}."
    if occurred_at > timezone.now() + CLOCK_SKEW:
        errors["occurred_at"] = "The contact's time is in the future."
    elif occurred_at < case.received_at - timedelta(days=1):
        errors["occurred_at"] = "The contact's time is before the case was received."
    if outcome == ContactOutcome.COMPLETED and attempt_result:
        errors["attempt_result"] = "A completed contact has no attempt result."
    elif attempt_result and attempt_result not in AttemptResult.values:
        errors["attempt_result"] = f"Unknown attempt result {attempt_result!r}."
    if duration_minutes is not None and not 0 <= duration_minutes <= 24 * 60:
        errors["duration_minutes"] = "Give the duration in minutes, up to a day."
    if (
        person is not None
        and person.pk != case.primary_victim_id
        and not case.related_people.filter(person=person).exists()
    ):
        errors["person"] = "That person is not on this case."
    if errors:
        raise ValidationError(errors)
    with_victim = person is None or person.pk == case.primary_victim_id
    with transaction.atomic():
        contact = Contact.objects.create(
            agency=case.agency,
            case=case,
            person=person,
            outcome=outcome,
            attempt_result=attempt_result,
            channel=channel,
            direction=direction,
            occurred_at=occurred_at,
            duration_minutes=duration_minutes,
            summary=summary.strip(),
            logged_by=actor.membership,
        )
        events.contact_logged(actor, contact)
        if outcome == ContactOutcome.COMPLETED and with_victim:
            _record_first_contact(actor, case, occurred_at)
        audit_record(
            actor=actor,
            action=AuditAction.CONTACT_LOG,
            obj=contact,
            details={"case": case.pk, "outcome": outcome, "channel": channel},
        )
    return contact


def _record_first_contact(actor: Actor, case: Case, occurred_at: datetime) -> None:
    fields = []
    if case.first_contact_at is None or occurred_at < case.first_contact_at:
        case.first_contact_at = occurred_at
        fields.append("first_contact_at")
    if case.status == CaseStatus.NEW:
        previous = in_english(case.get_status_display)
        case.status = CaseStatus.ACTIVE
        case.status_reason = "First contact made"
        fields += ["status", "status_reason"]
    if fields:
        case.save(update_fields=[*fields, "updated_at"])
    if "status" in fields:
        events.status_changed(actor, case, previous=previous)
        # A status move like any other: the access log shows who made it, not only the timeline.
        audit_record(
            actor=actor,
            action=AuditAction.CASE_STATUS,
            obj=case,
            reason=case.status_reason,
            details={"from": CaseStatus.NEW, "to": case.status},
        )


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
    if too_long := _too_long(Task, "title", title):
        raise ValidationError({"title": too_long})
    if not case.is_open:
        raise ValidationError(gettext("This case is closed. Reopen it to add tasks."))
    adder = actor.membership if actor.role in CASEWORKER_ROLES else None
    assignee = assignee or case.assigned_to or adder
    _check_assignee(actor, assignee)
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
