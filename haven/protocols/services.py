"""Every change to protocols: templates (coordinators) and the checklists on cases (the
case's specialists). Each checks permission, validates, saves, and writes the timeline and
audit events in one transaction."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from haven.agencies.roles import Perm
from haven.audit.models import AuditAction
from haven.audit.services import audit_record
from haven.cases.models import OPEN_STATUSES, Case, CaseEvent, CaseEventKind
from haven.core.actor import Actor
from haven.core.versions import check_version, lock_version, save_versioned
from haven.protocols.models import (
    CaseProtocol,
    CaseStep,
    ProtocolStep,
    ProtocolTemplate,
    StartedBy,
    StepStatus,
)
from haven.protocols.starting import STARTING_TEMPLATES
from haven.protocols.validation import VICTIMIZATION_CODES, TemplateData, check_steps


def _check_template(actor: Actor, data: TemplateData, template: ProtocolTemplate | None) -> None:
    errors: dict[str, list[str] | str] = {}
    if not data.name.strip():
        errors["name"] = "Give the protocol a name."
    elif len(data.name) > 120:
        errors["name"] = "Keep the name to 120 characters."
    unknown = sorted(set(data.victimizations) - VICTIMIZATION_CODES)
    if unknown:
        errors["victimizations"] = f"Unknown victimization types: {', '.join(unknown)}."
    taken = ProtocolTemplate.objects.filter(agency=actor.agency, key=data.key)
    if template is not None:
        taken = taken.exclude(pk=template.pk)
    if not data.key or taken.exists():
        errors["key"] = "Give the protocol a key no other protocol of the agency has."
    try:
        check_steps(data.steps)
    except ValidationError as exc:
        errors["steps"] = exc.messages
    if errors:
        raise ValidationError(errors)


def template_save(
    *,
    actor: Actor,
    data: TemplateData,
    template: ProtocolTemplate | None = None,
    version: int | None = None,
) -> ProtocolTemplate:
    """Create a template or change one (its steps are replaced as a whole). Needs
    agency.configure. Refused, naming the step, for a step due before its start, a loop of
    steps, an unknown role or service code; a change, when the template was saved since
    `version` (StaleEdit, nothing written). Checklists already running keep their copy."""
    actor.require(Perm.AGENCY_CONFIGURE)
    if template is not None:
        actor.require_own(template)
        check_version(template, version)
    _check_template(actor, data, template)
    creating = template is None
    template = template or ProtocolTemplate(agency=actor.agency)
    for name in ("key", "name", "description", "victimizations", "sources", "is_active"):
        setattr(template, name, getattr(data, name))
    template.updated_by = actor.membership
    template.updated_at = timezone.now()
    with transaction.atomic():
        if creating:
            template.save()
        else:
            lock_version(template, version)
            own = ["key", "name", "description", "victimizations", "sources", "is_active"]
            save_versioned(template, version=version, fields=[*own, "updated_by", "updated_at"])
        template.steps.all().delete()
        ProtocolStep.objects.bulk_create(
            ProtocolStep(
                agency=actor.agency,
                template=template,
                position=i,
                key=s.key,
                title=s.title.strip(),
                role=s.role,
                after=s.after,
                due_hours=s.due_hours,
                services=list(s.services),
                notes=s.notes.strip(),
            )
            for i, s in enumerate(data.steps)
        )
        audit_record(
            actor=actor,
            action=AuditAction.PROTOCOL_TEMPLATE_SAVE,
            obj=template,
            details={
                "created": creating,
                "key": template.key,
                "steps": [s.key for s in data.steps],
                "active": template.is_active,
            },
        )
    return template


def protocol_templates_start(*, actor: Actor) -> list[ProtocolTemplate]:
    """Give the agency the shipped starting templates it does not have yet (by key)."""
    actor.require(Perm.AGENCY_CONFIGURE)
    have = set(ProtocolTemplate.objects.filter(agency=actor.agency).values_list("key", flat=True))
    with transaction.atomic():
        return [
            template_save(actor=actor, data=data)
            for data in STARTING_TEMPLATES
            if data.key not in have
        ]


# --- Checklists on cases ---------------------------------------------------------------------


def _timeline(actor: Actor, case: Case, summary: str) -> None:
    CaseEvent.objects.create(
        agency=case.agency,
        case=case,
        kind=CaseEventKind.PROTOCOL,
        at=timezone.now(),
        actor=actor.membership,
        data={"summary": summary},
    )


def start(actor: Actor, case: Case, template: ProtocolTemplate, source: str) -> CaseProtocol | None:
    """Start `template` on `case` unless it already runs there (then None). No permission
    check: the callers decide (opening a case, an outreach rule, protocol_start by hand)."""
    if not template.is_active or template.agency_id != case.agency_id:
        return None
    if CaseProtocol.objects.filter(case=case, template=template).exists():
        return None
    with transaction.atomic():
        protocol = new_protocol(actor, case, template, source, timezone.now())
        protocol.save()
        CaseStep.objects.bulk_create(case_steps(protocol, template.steps.all()))
        _timeline(actor, case, start_summary(protocol))
        audit_record(
            actor=actor,
            action=AuditAction.PROTOCOL_START,
            obj=protocol,
            details=start_details(protocol),
        )
    return protocol


# What `start` writes, shared with the batch start (protocols/batch.py).


def new_protocol(
    actor: Actor, case: Case, template: ProtocolTemplate, source: str, now
) -> CaseProtocol:
    return CaseProtocol(
        agency=case.agency,
        case=case,
        template=template,
        name=template.name,
        started_at=now,
        started_by=actor.membership,
        source=source,
    )


def case_steps(protocol: CaseProtocol, steps: Iterable[ProtocolStep]) -> list[CaseStep]:
    """The protocol's checklist: a copy of its template's steps, due from its start."""
    return [
        CaseStep(
            agency=protocol.agency,
            protocol=protocol,
            case=protocol.case,
            position=step.position,
            key=step.key,
            title=step.title,
            role=step.role,
            after=step.after,
            due_hours=step.due_hours,
            services=step.services,
            notes=step.notes,
            # A step after another is due once that one is done (or skipped).
            due_at=None if step.after else protocol.started_at + timedelta(hours=step.due_hours),
        )
        for step in steps
    ]


def start_summary(protocol: CaseProtocol) -> str:
    return f"{protocol.name} started ({StartedBy(protocol.source).label.lower()})"


def start_details(protocol: CaseProtocol) -> dict:
    return {
        "case": protocol.case_id,
        "template": protocol.template.key,
        "source": protocol.source,
    }


def protocol_start(*, actor: Actor, case: Case, template: ProtocolTemplate) -> CaseProtocol:
    """Start a protocol on a case by hand (case.work). Refused on a closed case, for another
    agency's template, or when it already runs on the case."""
    actor.require(Perm.CASE_WORK)
    actor.require_own(case)
    actor.require_own(template)
    if case.status not in OPEN_STATUSES:
        raise ValidationError(gettext("Reopen the case before starting a protocol on it."))
    if not template.is_active:
        raise ValidationError({"template": gettext("That protocol is switched off.")})
    protocol = start(actor, case, template, StartedBy.HAND)
    if protocol is None:
        raise ValidationError({"template": f"{template.name} is already on this case."})
    return protocol


def start_for_rule(actor: Actor, case: Case, template: ProtocolTemplate) -> CaseProtocol | None:
    """An outreach rule that names the protocol opened the case (outreach.decisions)."""
    return start(actor, case, template, StartedBy.RULE)


def start_for_victimizations(actor: Actor, case: Case) -> list[CaseProtocol]:
    """Start every active template whose victimization types the case has."""
    codes = set(case.victimizations.values_list("code", flat=True))
    started = []
    for template in ProtocolTemplate.objects.filter(agency=case.agency, is_active=True):
        if codes & set(template.victimizations):
            protocol = start(actor, case, template, StartedBy.VICTIMIZATION)
            if protocol is not None:
                started.append(protocol)
    return started


def _finish(actor: Actor, step: CaseStep, status: str, *, note: str, reason: str) -> CaseStep:
    actor.require(Perm.CASE_WORK)
    actor.require_own(step)
    now = timezone.now()
    with transaction.atomic():
        claimed = CaseStep.objects.filter(pk=step.pk, status=StepStatus.OPEN).update(
            status=status,
            finished_at=now,
            finished_by=actor.membership,
            skip_reason=reason,
        )
        if not claimed:
            raise ValidationError(f"“{step.title}” was already checked off or skipped.")
        step.refresh_from_db()
        if note:
            step.note = note
            step.save(update_fields=["note"])
        _release_followers(step, now)
        protocol = step.protocol
        if not CaseStep.objects.filter(protocol=protocol, status=StepStatus.OPEN).exists():
            protocol.completed_at = now
            protocol.save(update_fields=["completed_at"])
        words = "done" if status == StepStatus.DONE else f"skipped: {reason}"
        _timeline(actor, step.case, f"{protocol.name}: {step.title} — {words}")
        audit_record(
            actor=actor,
            action=AuditAction.PROTOCOL_STEP,
            obj=step,
            reason=reason,
            details={"case": step.case_id, "step": step.key, "status": status},
        )
    return step


def _release_followers(step: CaseStep, now) -> None:
    """The steps waiting for this one become due, counted from now."""
    for follower in CaseStep.objects.filter(
        protocol=step.protocol_id, after=step.key, status=StepStatus.OPEN, due_at__isnull=True
    ):
        follower.due_at = now + timedelta(hours=follower.due_hours)
        follower.save(update_fields=["due_at"])


def _check_case_open(step: CaseStep) -> None:
    if step.case.status not in OPEN_STATUSES:
        raise ValidationError(gettext("The case is closed: reopen it to change its checklist."))


def step_done(*, actor: Actor, step: CaseStep, note: str = "") -> CaseStep:
    """Check a step off, with who and when (case.work). Refused once already checked off
    or skipped, and on a closed case."""
    _check_case_open(step)
    note = note.strip()
    if len(note) > 2000:
        raise ValidationError({"note": gettext("Keep the note to 2,000 characters.")})
    return _finish(actor, step, StepStatus.DONE, note=note, reason="")


def step_skip(*, actor: Actor, step: CaseStep, reason: str, closing: bool = False) -> CaseStep:
    """Skip a step that is not needed on this case; the reason is required. `closing`: the
    case's closing checklist resolves it while the case is still open."""
    if not closing:
        _check_case_open(step)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": f"Say why “{step.title}” is skipped."})
    if len(reason) > 200:
        raise ValidationError({"reason": gettext("Keep the reason to 200 characters.")})
    return _finish(actor, step, StepStatus.SKIPPED, note="", reason=reason)
