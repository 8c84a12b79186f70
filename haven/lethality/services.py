"""Recording a lethality screen on a case, and its hotline follow-up.

A screen is recorded by a victim specialist from the case page (case.work), or by an officer
with their referral from the scene: `intake.scene_referral.officer_referral_open` lends the
officer's own actor case.work for the one call that records the screen on the case it has just
opened, exactly as it lends case creation (see that module). An officer can never record a
screen on an existing case, and never reads one.

High danger (the screen screens in, by the protocol or by the screener's belief) raises the
case to high priority, alerts the case's specialist and the on-call specialist by email after
the commit (the case number and a link, nothing else), and opens the task "Connect the victim
with the domestic violence hotline" unless the victim has already spoken with the hotline.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from functools import partial

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from haven.agencies.roles import Perm
from haven.audit.models import AuditAction
from haven.audit.services import audit_record
from haven.cases.models import Case, Priority, Task
from haven.cases.services import task_add, task_complete
from haven.core.actor import Actor
from haven.lethality import events, scoring
from haven.lethality.models import (
    ANSWER_FIELDS,
    Answer,
    LethalityScreen,
    ScreenedBy,
    SpokeWithHotline,
)
from haven.lethality.tasks import lethality_alert
from haven.people.models import Person

HOTLINE_TASK_TITLE = "Connect the victim with the domestic violence hotline"
# The protocol connects the victim with the hotline at once: the task is due soon.
HOTLINE_TASK_DUE = timedelta(hours=2)
TEXT_LIMIT = 2000


@dataclass
class ScreenAnswers:
    """One screen as asked: the eleven answers in the form's order, whether the victim answered
    at all, the open question's answer, the screener's belief, and the hotline so far."""

    answers: list[str] = field(default_factory=lambda: [Answer.NOT_ANSWERED] * len(ANSWER_FIELDS))
    victim_answered: bool = True
    worries: str = ""
    officer_belief: bool = False
    hotline_called: bool = False
    victim_spoke_with_hotline: str = SpokeWithHotline.UNKNOWN
    reason_not_spoke: str = ""


def _hotline_errors(spoke: str, reason: str) -> dict[str, str]:
    errors = {}
    if spoke not in SpokeWithHotline.values:
        errors["victim_spoke_with_hotline"] = "Say whether the victim spoke with the hotline."
    elif spoke == SpokeWithHotline.YES and reason:
        errors["reason_not_spoke"] = "The victim spoke with the hotline: leave the reason empty."
    if len(reason) > TEXT_LIMIT:
        errors["reason_not_spoke"] = f"Keep it to {TEXT_LIMIT} characters."
    return errors


def screen_validate(screen: ScreenAnswers) -> None:
    """Raise a ValidationError naming the field for a screen that cannot be recorded as given:
    not eleven known answers, answers although the victim declined, text too long."""
    errors = {}
    if len(screen.answers) != len(ANSWER_FIELDS):
        errors["answers"] = f"Give all {len(ANSWER_FIELDS)} answers (or 'not answered')."
    else:
        for name, answer in zip(ANSWER_FIELDS, screen.answers, strict=True):
            if answer not in Answer.values:
                errors[name] = "Answer yes, no or not answered."
        if not screen.victim_answered and any(
            answer != Answer.NOT_ANSWERED for answer in screen.answers
        ):
            errors["victim_answered"] = (
                "The victim declined to answer: leave every question as not answered, or "
                "untick 'declined' if they answered some."
            )
    if len(screen.worries.strip()) > TEXT_LIMIT:
        errors["worries"] = f"Keep it to {TEXT_LIMIT} characters."
    errors |= _hotline_errors(screen.victim_spoke_with_hotline, screen.reason_not_spoke.strip())
    if errors:
        raise ValidationError(errors)


def screen_score(screen: ScreenAnswers) -> scoring.Score:
    """The outcome the screen will have (for the referral, which sets the case's priority
    before the case exists). Validate first."""
    return scoring.score(
        screen.answers,
        victim_answered=screen.victim_answered,
        officer_belief=screen.officer_belief,
    )


def _raise_priority(actor: Actor, case: Case, screen: LethalityScreen) -> bool:
    """High priority for a high-danger screen; True if it was not high already. A conditional
    update, so two screens recorded at once raise it (and log it) once."""
    raised = (
        Case.objects.filter(pk=case.pk)
        .exclude(priority=Priority.HIGH)
        .update(priority=Priority.HIGH, updated_at=timezone.now())
    )
    if not raised:
        return False
    # The row was not high; an in-memory case that says so is stale.
    stale = case.priority == Priority.HIGH or case.priority not in Priority.values
    previous = Priority.NORMAL.label if stale else Priority(case.priority).label
    case.priority = Priority.HIGH
    events.priority_raised(actor, case, previous=previous)
    audit_record(
        actor=actor,
        action=AuditAction.CASE_PRIORITY,
        obj=case,
        details={"to": Priority.HIGH, "lethality_screen": screen.pk},
    )
    return True


def _open_hotline_task(actor: Actor, case: Case) -> Task:
    """The protocol's task, for the case's specialist (else the screening specialist; for an
    officer's referral with nobody on call, unassigned)."""
    return task_add(
        actor=actor,
        case=case,
        title=hotline_task_title(case.agency),
        due_at=timezone.now() + HOTLINE_TASK_DUE,
    )


def hotline_task_title(agency) -> str:
    """The task names the hotline to call, with its number and hours, when the agency set
    them (agency settings); the screen's page shows them tap-to-call."""
    lines = [
        f"{h['name']} {h['phone']}" + (f" ({h['hours']})" if h["hours"] else "")
        for h in agency.hotlines
    ]
    if not lines:
        return HOTLINE_TASK_TITLE
    return f"{HOTLINE_TASK_TITLE}: {'; '.join(lines)}"[:200]


def _screened_person(actor: Actor, case: Case, person: Person | None) -> Person:
    """Who the screen is of, refused unless the actor is a member who works the open case and
    the person is on it."""
    actor.require(Perm.CASE_WORK)
    actor.require_own(case)
    if actor.membership is None:
        raise PermissionDenied("A lethality screen is asked by a member of the agency.")
    if not case.is_open:
        raise ValidationError(
            gettext("This case is closed. Reopen it to record a lethality screen.")
        )
    person = person or case.primary_victim
    if (
        person.pk != case.primary_victim_id
        and not case.related_people.filter(person=person).exists()
    ):
        raise ValidationError({"person": gettext("That person is not on this case.")})
    return person


def _screen_fields(screen: ScreenAnswers) -> dict:
    """The screen's answers and hotline facts as LethalityScreen fields."""
    return {
        "victim_answered": screen.victim_answered,
        "worries": screen.worries.strip(),
        "officer_belief": screen.officer_belief,
        "hotline_called": screen.hotline_called,
        "victim_spoke_with_hotline": screen.victim_spoke_with_hotline,
        "reason_not_spoke": screen.reason_not_spoke.strip(),
        **dict(zip(ANSWER_FIELDS, screen.answers, strict=True)),
    }


def lethality_screen_record(
    *,
    actor: Actor,
    case: Case,
    screen: ScreenAnswers,
    person: Person | None = None,
    at_scene: bool = False,
    site_url: str = "",
) -> LethalityScreen:
    """Record a lethality screen on an open case, with its outcome derived by scoring.py.

    Refused without case.work (officers, analysts, auditors; an officer's screen comes in only
    through the referral that opens the case) and for another agency's case. The person
    screened is the case's primary victim unless `person` names someone on the case. A closed
    case, or answers that do not fit (see screen_validate), raise a ValidationError naming the
    field, and nothing is saved. `at_scene` marks a screen asked by the referring officer.

    Screened in: the case becomes high priority (timeline and audit), the task to connect the
    victim with the hotline opens unless they already spoke with it, and after the commit the
    case's specialist and the on-call specialist are emailed. `site_url` is for the alert's link.
    """
    person = _screened_person(actor, case, person)
    screen_validate(screen)
    result = screen_score(screen)
    with transaction.atomic():
        record = LethalityScreen.objects.create(
            agency=case.agency,
            case=case,
            person=person,
            screened_by=actor.membership,
            screened_at=timezone.now(),
            by_role=ScreenedBy.OFFICER if at_scene else ScreenedBy.SPECIALIST,
            outcome=result.outcome.value,
            **_screen_fields(screen),
        )
        events.screen_recorded(actor, record)
        raised = False
        if result.screened_in:
            raised = _raise_priority(actor, case, record)
            if screen.victim_spoke_with_hotline != SpokeWithHotline.YES:
                record.hotline_task = _open_hotline_task(actor, case)
                record.save(update_fields=["hotline_task"])
        audit_record(
            actor=actor,
            action=AuditAction.LETHALITY_SCREEN,
            obj=record,
            # Codes and flags only: never an answer or the victim's words.
            details={
                "case": case.pk,
                "by_role": record.by_role,
                "victim_answered": record.victim_answered,
                "officer_belief": record.officer_belief,
                "outcome": record.outcome,
                "priority_raised": raised,
                "hotline_task": record.hotline_task_id,
            },
        )
        if result.screened_in:
            transaction.on_commit(partial(lethality_alert, record.pk, case.agency_id, site_url))
    return record


def lethality_hotline_record(
    *,
    actor: Actor,
    screen: LethalityScreen,
    hotline_called: bool,
    victim_spoke_with_hotline: str,
    reason_not_spoke: str = "",
) -> LethalityScreen:
    """Record whether the hotline was called and whether the victim spoke with them (and why
    not): the only change a recorded screen takes. "Yes" completes the open hotline task.

    Refused without case.work and for another agency's screen.
    """
    actor.require(Perm.CASE_WORK)
    actor.require_own(screen)
    reason = reason_not_spoke.strip()
    errors = _hotline_errors(victim_spoke_with_hotline, reason)
    if errors:
        raise ValidationError(errors)
    changed = [
        name
        for name, value in (
            ("hotline_called", hotline_called),
            ("victim_spoke_with_hotline", victim_spoke_with_hotline),
            ("reason_not_spoke", reason),
        )
        if getattr(screen, name) != value
    ]
    if not changed:
        return screen
    with transaction.atomic():
        screen.hotline_called = hotline_called
        screen.victim_spoke_with_hotline = victim_spoke_with_hotline
        screen.reason_not_spoke = reason
        screen.hotline_updated_at = timezone.now()
        screen.hotline_updated_by = actor.membership
        screen.save(update_fields=[*changed, "hotline_updated_at", "hotline_updated_by"])
        completed = victim_spoke_with_hotline == SpokeWithHotline.YES and _complete_hotline_task(
            actor, screen
        )
        audit_record(
            actor=actor,
            action=AuditAction.LETHALITY_HOTLINE,
            obj=screen,
            details={
                "case": screen.case_id,
                "fields": changed,
                "spoke": victim_spoke_with_hotline,
                "task_completed": completed,
            },
        )
    return screen


def _complete_hotline_task(actor: Actor, screen: LethalityScreen) -> bool:
    """Complete the screen's open hotline task; whether this call completed it."""
    task = screen.hotline_task
    if task is None or task.completed_at is not None:
        return False
    try:
        task_complete(actor=actor, task=task)
    except ValidationError:
        return False  # completed meanwhile by someone else: nothing left to do
    return True
