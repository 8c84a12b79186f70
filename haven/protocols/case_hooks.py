"""What protocols adds to a case's life through cases/hooks.py: the protocols that start with a
case, its next steps on the caseload, its open steps at closing."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.urls import reverse

from haven.cases.hooks import NextAction, OpenItem, case_page_url
from haven.cases.models import Case
from haven.core.actor import Actor
from haven.protocols.models import CaseStep, StepStatus
from haven.protocols.services import start_for_victimizations, step_skip


def start_for_new_case(actor: Actor, case: Case) -> None:
    start_for_victimizations(actor, case)


def _url(case_id: int) -> str:
    return reverse("cases:detail", args=[case_id]) + "#protocols"


def next_steps(cases: Sequence[Case]) -> Iterable[NextAction]:
    """Open steps with a due time on these cases, in one query."""
    steps = CaseStep.objects.filter(
        case__in=[c.pk for c in cases], status=StepStatus.OPEN, due_at__isnull=False
    ).only("id", "case_id", "title", "due_at")
    case_url = case_page_url()
    for step in steps:
        url = case_url(step.case_id) + "#protocols"
        yield NextAction(step.case_id, "Protocol step", step.title, step.due_at, url)


def open_steps(case: Case) -> Iterable[OpenItem]:
    steps = CaseStep.objects.filter(case=case, status=StepStatus.OPEN).select_related("protocol")
    for step in steps:

        def resolve(actor: Actor, note: str, step: CaseStep = step) -> None:
            step_skip(actor=actor, step=step, reason=note or "Case closed", closing=True)

        yield OpenItem(
            key=f"protocol-step:{step.pk}",
            kind="Protocol step",
            title=f"{step.protocol.name}: {step.title}",
            when=step.due_at,
            url=_url(case.pk),
            resolve=resolve,
            resolve_label="Skip it (not needed now)",
        )
