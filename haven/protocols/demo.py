"""Demo rows of protocols: the shipped starting templates (before the outreach rules, so the
starter rules name them), then checklists on a few dozen of the demo's open cases, part
checked off and some late, so the case pages, To do and the dashboard show them."""

from __future__ import annotations

from datetime import timedelta

from haven.cases.models import OPEN_STATUSES, Case
from haven.core.demo import DemoContext
from haven.protocols.models import CaseProtocol, CaseStep, ProtocolTemplate, StartedBy, StepStatus
from haven.protocols.services import protocol_templates_start, start

DEMO_CASES = 60  # open cases given a checklist, at most
# A step is done with this chance, at a time spread over 0 to 1.4 of its allowed hours (so
# some are late), while that time is in the past.
DONE_CHANCE = 0.7


def protocol_templates_seed(ctx: DemoContext) -> None:
    protocol_templates_start(actor=ctx.actor)


def protocol_checklists_seed(ctx: DemoContext) -> None:
    templates = list(ProtocolTemplate.objects.filter(agency=ctx.agency, is_active=True))
    by_code = {code: t for t in templates for code in t.victimizations}
    cases = (
        Case.objects.filter(agency=ctx.agency, status__in=OPEN_STATUSES)
        .prefetch_related("victimizations")
        .order_by("-created_at")[: DEMO_CASES * 3]
    )
    started = 0
    for case in cases:
        template = next(
            (by_code[v.code] for v in case.victimizations.all() if v.code in by_code), None
        )
        if template is None:
            continue
        protocol = start(ctx.actor, case, template, StartedBy.VICTIMIZATION)
        if protocol is None:
            continue
        _play(ctx, protocol, case)
        started += 1
        if started >= DEMO_CASES:
            break
    ctx.counts["protocols"] += started


def _play(ctx: DemoContext, protocol: CaseProtocol, case: Case) -> None:
    """Move the checklist back to the case's opening and check steps off as a specialist
    would have since, in order; a step after another is due once that one is done."""
    anchor = case.created_at
    CaseProtocol.objects.filter(pk=protocol.pk).update(started_at=anchor)
    finished: dict[str, object] = {}
    steps = list(CaseStep.objects.filter(protocol=protocol).order_by("position", "id"))
    for step in steps:
        start_at = anchor if not step.after else finished.get(step.after)
        due = None if start_at is None else start_at + timedelta(hours=step.due_hours)
        fields = {"due_at": due}
        if due is not None and ctx.rng.random() < DONE_CHANCE:
            took = timedelta(hours=step.due_hours * ctx.rng.uniform(0.1, 1.4))
            done_at = start_at + took
            if done_at < ctx.latest:
                finished[step.key] = done_at
                fields.update(
                    status=StepStatus.DONE, finished_at=done_at, finished_by=case.assigned_to
                )
        CaseStep.objects.filter(pk=step.pk).update(**fields)
    if len(finished) == len(steps):
        CaseProtocol.objects.filter(pk=protocol.pk).update(completed_at=max(finished.values()))
