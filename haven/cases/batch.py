"""Opening many cases at once: a night's outreach from an import.

`cases_open_many` writes what `case_open` (and `task_add` for each case's first tasks) would
write for each opening, one by one, in the same order: the same cases with the same numbers,
victimizations, timeline lines, assignments, tasks and audit events. It writes them a table at
a time (`bulk_create`) and the audit events with one chain update per action, so a batch of
500 cases costs a few dozen queries rather than thousands. The hooks that apps above cases run
for a new case (a protocol for its victimization type) take the batch where the app gives a
batch form (hooks.cases_opened; protocols/batch.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from haven.agencies.models import Agency, District, Membership
from haven.agencies.roles import Perm
from haven.audit.models import AuditAction
from haven.audit.services import audit_record_many
from haven.cases import hooks
from haven.cases.models import (
    Assignment,
    Case,
    CaseEvent,
    CaseEventKind,
    CaseVictimization,
    Priority,
    Task,
)
from haven.cases.services.checks import too_long_message
from haven.cases.services.opening import check_opening
from haven.core.actor import Actor
from haven.lib.languages import stored_in_english
from haven.people.models import Person


@dataclass(frozen=True)
class FirstTask:
    """A task the case starts with (task_add's title and due time)."""

    title: str
    due_at: datetime


@dataclass(frozen=True)
class CaseOpening:
    """What case_open takes for one case, and the tasks it starts with."""

    victim: Person
    source: str
    received_at: datetime
    victimizations: Sequence[str]
    report_number: str = ""
    district: District | None = None
    narrative: str = ""
    priority: str = Priority.NORMAL
    assignee: Membership | None = None
    tasks: Sequence[FirstTask] = field(default_factory=tuple)


def cases_open_many(*, actor: Actor, openings: Sequence[CaseOpening]) -> list[Case]:
    """Open a case for each opening, in order, as case_open then task_add would; returns them.

    Every opening is checked before anything is written: one that case_open would refuse
    raises its ValidationError (or PermissionDenied) and nothing is written.
    """
    actor.require(Perm.CASE_CREATE)
    for opening in openings:
        _check_opening(actor, opening)
    if not openings:
        return []
    with transaction.atomic():
        cases = _insert_cases(actor, openings)
        CaseVictimization.objects.bulk_create(
            CaseVictimization(agency=actor.agency, case=case, code=code)
            for case, opening in zip(cases, openings, strict=True)
            for code in sorted(set(opening.victimizations))
        )
        _insert_openings(actor, cases)
        audit_record_many(
            actor=actor,
            action=AuditAction.CASE_CREATE,
            records=[
                (
                    case,
                    {
                        "source": case.source,
                        "victim": case.primary_victim_id,
                        "assignee": case.assigned_to_id,
                    },
                )
                for case in cases
            ],
        )
        hooks.cases_opened(actor, cases)
        _insert_tasks(actor, cases, openings)
    return cases


def _check_opening(actor: Actor, opening: CaseOpening) -> None:
    """case_open's checks, with its messages, and the first tasks' titles."""
    check_opening(
        actor,
        victim=opening.victim,
        source=opening.source,
        received_at=opening.received_at,
        victimizations=opening.victimizations,
        report_number=opening.report_number,
        district=opening.district,
        priority=opening.priority,
        assignee=opening.assignee,
    )
    for task in opening.tasks:
        title = task.title.strip()
        if not title:
            raise ValidationError({"tasks": "Say what needs doing."})
        if too_long := too_long_message(Task, "title", title):
            raise ValidationError({"tasks": too_long})


def reserve_case_numbers(agency: Agency, count: int) -> range:
    """`count` consecutive numbers off the agency's counter, by the same conditional update
    as next_case_number: concurrent openings on many servers never share one."""
    Agency.objects.filter(pk=agency.pk).update(last_case_number=F("last_case_number") + count)
    last = Agency.objects.values_list("last_case_number", flat=True).get(pk=agency.pk)
    return range(last - count + 1, last + 1)


def _insert_cases(actor: Actor, openings: Sequence[CaseOpening]) -> list[Case]:
    agency = actor.agency
    numbers = reserve_case_numbers(agency, len(openings))
    cases = [
        Case(
            agency=agency,
            number=f"{timezone.localtime(o.received_at, agency.tz).year}-{number:06d}",
            primary_victim=o.victim,
            source=o.source,
            received_at=o.received_at,
            report_number=o.report_number.strip(),
            district=o.district,
            narrative=o.narrative,
            priority=o.priority,
            assigned_to=o.assignee,
            created_by=actor.membership,
        )
        for o, number in zip(openings, numbers, strict=True)
    ]
    return Case.objects.bulk_create(cases)


@stored_in_english()
def _insert_openings(actor: Actor, cases: list[Case]) -> None:
    """The timeline's "opened" and "assigned" lines and the assignments (cases/events.py)."""
    now = timezone.now()
    events, assignments = [], []
    for case in cases:
        events.append(
            _event(actor, case, CaseEventKind.CREATED, now, {"source": case.get_source_display()})
        )
        if case.assigned_to is None:
            continue
        assignments.append(
            Assignment(
                agency=case.agency,
                case=case,
                assignee=case.assigned_to,
                assigned_by=actor.membership,
                started_at=now,
            )
        )
        data = {"to": case.assigned_to.display_name, "from": "nobody", "reason": ""}
        events.append(_event(actor, case, CaseEventKind.ASSIGNED, now, data))
    CaseEvent.objects.bulk_create(events)
    Assignment.objects.bulk_create(assignments)


def _insert_tasks(actor: Actor, cases: list[Case], openings: Sequence[CaseOpening]) -> None:
    """task_add for each case's first tasks: they go to the case's specialist."""
    tasks = Task.objects.bulk_create(
        Task(
            agency=case.agency,
            case=case,
            title=task.title.strip(),
            due_at=task.due_at,
            assignee=case.assigned_to,
            created_by=actor.membership,
        )
        for case, opening in zip(cases, openings, strict=True)
        for task in opening.tasks
    )
    if not tasks:
        return
    now = timezone.now()
    CaseEvent.objects.bulk_create(
        _event(actor, task.case, CaseEventKind.TASK_ADDED, now, {}, task=task) for task in tasks
    )
    audit_record_many(
        actor=actor,
        action=AuditAction.TASK_ADD,
        records=[(task, {"case": task.case_id}) for task in tasks],
    )


def _event(actor: Actor, case: Case, kind: str, at: datetime, data: dict, **links) -> CaseEvent:
    return CaseEvent(
        agency=case.agency, case=case, kind=kind, at=at, actor=actor.membership, data=data, **links
    )
