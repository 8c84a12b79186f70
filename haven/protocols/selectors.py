"""Reads of protocols, scoped by agency and by the cases the actor may see."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from haven.agencies.roles import Perm
from haven.audit.models import AuditAction
from haven.audit.services import audit_record
from haven.cases.models import OPEN_STATUSES, Case
from haven.cases.selectors import cases_visible_to
from haven.core.actor import Actor
from haven.protocols.models import CaseProtocol, CaseStep, ProtocolTemplate, StepStatus


def templates_of(actor: Actor) -> QuerySet[ProtocolTemplate]:
    return ProtocolTemplate.objects.filter(agency=actor.agency).prefetch_related("steps")


@dataclass
class Checklist:
    protocol: CaseProtocol
    steps: list[CaseStep]

    @property
    def done(self) -> int:
        return sum(s.status != StepStatus.OPEN for s in self.steps)

    @property
    def late(self) -> int:
        now = timezone.now()
        return sum(s.is_late(now) for s in self.steps)


def case_checklists(case: Case) -> list[Checklist]:
    """The protocols running on a case with their steps, in one query: each protocol comes with
    its steps, as every protocol has at least one (a template needs one, validation.check_steps)."""
    steps = CaseStep.objects.filter(case=case).select_related("protocol", "finished_by__user")
    by_protocol: dict[int, Checklist] = {}
    for step in steps:
        by_protocol.setdefault(step.protocol_id, Checklist(step.protocol, [])).steps.append(step)
    return sorted(by_protocol.values(), key=lambda c: (c.protocol.started_at, c.protocol.pk))


def startable_templates(case: Case) -> list[ProtocolTemplate]:
    running = CaseProtocol.objects.filter(case=case).values("template_id")
    return list(
        ProtocolTemplate.objects.filter(agency=case.agency, is_active=True).exclude(pk__in=running)
    )


def late_steps(actor: Actor, *, everyone: bool, now: datetime | None = None) -> list[CaseStep]:
    """Open steps past due on open cases: the actor's own cases, or (everyone, for those who
    assign cases: the supervisor's view) every case of the agency. The read is audited."""
    now = now or timezone.now()
    cases = cases_visible_to(actor).filter(status__in=OPEN_STATUSES)
    if not (everyone and actor.has(Perm.CASE_ASSIGN)):
        cases = cases.filter(assigned_to=actor.membership)
    steps = list(
        CaseStep.objects.filter(case__in=cases, status=StepStatus.OPEN, due_at__lt=now)
        .select_related("protocol", "case__primary_victim", "case__assigned_to__user")
        .order_by("due_at", "id")[:500]
    )
    audit_record(
        actor=actor,
        action=AuditAction.CASE_LIST,
        object_type="protocols.late_steps",
        details={"everyone": everyone, "cases": sorted({s.case_id for s in steps})[:200]},
    )
    return steps


@dataclass(frozen=True)
class Completion:
    name: str
    started: int
    completed: int
    steps: int
    steps_finished: int  # done or skipped, with a due time
    steps_on_time: int  # of those, finished no later than due
    late_now: int  # open steps past due


def completion_by_protocol(
    agency, *, start: datetime, end: datetime, now: datetime | None = None
) -> list[Completion]:
    """Per template, the protocols started in [start, end): how many, how many completed, and
    their steps done on time; two queries, whatever the number of cases."""
    now = now or timezone.now()
    protocols = CaseProtocol.objects.filter(
        agency=agency, started_at__gte=start, started_at__lt=end
    )
    heads = {
        row["template_id"]: row
        for row in protocols.values("template_id", "template__name").annotate(
            started=Count("id"), completed=Count("id", filter=Q(completed_at__isnull=False))
        )
    }
    step_rows = (
        CaseStep.objects.filter(protocol__in=protocols)
        .values("protocol__template_id")
        .annotate(
            steps=Count("id"),
            finished=Count("id", filter=~Q(status=StepStatus.OPEN) & Q(due_at__isnull=False)),
            on_time=Count(
                "id",
                filter=~Q(status=StepStatus.OPEN)
                & Q(due_at__isnull=False)
                & Q(finished_at__lte=F("due_at")),
            ),
            late_now=Count("id", filter=Q(status=StepStatus.OPEN, due_at__lt=now)),
        )
    )
    steps = {row["protocol__template_id"]: row for row in step_rows}
    return sorted(
        (
            Completion(
                name=head["template__name"],
                started=head["started"],
                completed=head["completed"],
                steps=steps.get(tid, {}).get("steps", 0),
                steps_finished=steps.get(tid, {}).get("finished", 0),
                steps_on_time=steps.get(tid, {}).get("on_time", 0),
                late_now=steps.get(tid, {}).get("late_now", 0),
            )
            for tid, head in heads.items()
        ),
        key=lambda c: c.name,
    )
