"""Starting protocols on many cases at once: the cases a night's outreach opens (cases/batch.py).

`start_many` writes what `services.start` writes for each (case, template, source), one by one,
in the same order: the same checklists and steps, timeline lines and audit events. It writes
them a table at a time (`bulk_create`) and the audit events with one hold of the chain's head,
so starting the protocols of 500 new cases costs a handful of queries rather than thousands.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone

from haven.audit.models import AuditAction
from haven.audit.services import audit_record_many
from haven.cases.models import Case, CaseEvent, CaseEventKind, CaseVictimization
from haven.core.actor import Actor
from haven.protocols.models import CaseProtocol, CaseStep, ProtocolStep, ProtocolTemplate, StartedBy
from haven.protocols.services import case_steps, new_protocol, start_details, start_summary

Start = tuple[Case, ProtocolTemplate, str]  # (case, template, source), as `start` takes them


def start_many(actor: Actor, starts: Sequence[Start]) -> list[CaseProtocol | None]:
    """`start` for each (case, template, source), in order: each checklist started, or None
    where `start` would start nothing (a template switched off or of another agency, or one
    already running on the case, an earlier start of the same batch included)."""
    running = set(
        CaseProtocol.objects.filter(
            case__in={case.pk for case, _, _ in starts},
            template__in={template.pk for _, template, _ in starts},
        ).values_list("case_id", "template_id")
    )
    now = timezone.now()
    protocols: list[CaseProtocol | None] = []
    for case, template, source in starts:
        pair = (case.pk, template.pk)
        if not template.is_active or template.agency_id != case.agency_id or pair in running:
            protocols.append(None)
            continue
        running.add(pair)
        protocols.append(new_protocol(actor, case, template, source, now))
    new = [protocol for protocol in protocols if protocol is not None]
    if not new:
        return protocols
    steps = defaultdict(list)
    for step in ProtocolStep.objects.filter(template__in={p.template_id for p in new}):
        steps[step.template_id].append(step)
    with transaction.atomic():
        CaseProtocol.objects.bulk_create(new)
        CaseStep.objects.bulk_create(
            step for protocol in new for step in case_steps(protocol, steps[protocol.template_id])
        )
        CaseEvent.objects.bulk_create(
            CaseEvent(
                agency=protocol.agency,
                case=protocol.case,
                kind=CaseEventKind.PROTOCOL,
                at=now,
                actor=actor.membership,
                data={"summary": start_summary(protocol)},
            )
            for protocol in new
        )
        audit_record_many(
            actor=actor,
            action=AuditAction.PROTOCOL_START,
            records=[(protocol, start_details(protocol)) for protocol in new],
        )
    return protocols


def start_for_victimizations_many(actor: Actor, cases: Sequence[Case]) -> list[CaseProtocol]:
    """`services.start_for_victimizations` for each case, in order, in a constant number of
    queries: every active template whose victimization types the case has."""
    codes = defaultdict(set)
    for case_id, code in CaseVictimization.objects.filter(
        case__in=[case.pk for case in cases]
    ).values_list("case_id", "code"):
        codes[case_id].add(code)
    templates = defaultdict(list)
    for template in ProtocolTemplate.objects.filter(
        agency__in={case.agency_id for case in cases}, is_active=True
    ):
        templates[template.agency_id].append(template)
    starts = [
        (case, template, StartedBy.VICTIMIZATION)
        for case in cases
        for template in templates[case.agency_id]
        if codes[case.pk] & set(template.victimizations)
    ]
    return [protocol for protocol in start_many(actor, starts) if protocol is not None]
