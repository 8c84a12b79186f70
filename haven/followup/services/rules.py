"""The agency's follow-up rules: which cadence a case gets, by its victimization type and
priority."""

from __future__ import annotations

from dataclasses import dataclass, fields

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from haven.agencies.roles import Perm
from haven.audit.models import AuditAction
from haven.audit.services import audit_record
from haven.cases.models import Case, Priority
from haven.core.actor import Actor
from haven.core.versions import check_version, save_versioned
from haven.followup import schedule
from haven.followup.models import CadenceUnit, FollowUpRule
from haven.lib.reference import choices

# The longest step of a cadence.
MAX_EVERY = {schedule.DAYS: 90, schedule.WEEKS: 26, schedule.MONTHS: 12}
VICTIMIZATION_CODES = {code for code, _ in choices("pmt", "victimization_types")}


@dataclass
class RuleData:
    name: str
    unit: str
    every: int = 1
    victimization: str = ""
    priority: str = ""
    position: int = 0
    is_active: bool = True


def _check_cadence(unit: str, every: int | None) -> dict[str, str]:
    if unit not in CadenceUnit.values:
        return {"unit": "Choose how often to check in."}
    if unit == schedule.WEEKLY_THEN_MONTHLY:
        return {}
    limit = MAX_EVERY[unit]
    if every is None or not 1 <= every <= limit:
        return {"every": f"Give a number from 1 to {limit}."}
    return {}


def followup_rule_save(
    *, actor: Actor, data: RuleData, rule: FollowUpRule | None = None, version: int | None = None
) -> FollowUpRule:
    """Create a rule (rule=None) or change one. Refused without agency.configure, and a change
    when the rule was saved since `version` (StaleEdit, nothing written). A changed rule
    applies to cases that become active from now on; plans already made keep theirs."""
    actor.require(Perm.AGENCY_CONFIGURE)
    if rule is not None:
        actor.require_own(rule)
        check_version(rule, version)
    data.name = data.name.strip()
    errors = _check_cadence(data.unit, data.every)
    if not data.name:
        errors["name"] = "Name the rule, e.g. “Domestic violence”."
    elif len(data.name) > 80:
        errors["name"] = "Keep the name to 80 characters."
    if data.victimization and data.victimization not in VICTIMIZATION_CODES:
        errors["victimization"] = "Choose a victimization type, or any."
    if data.priority and data.priority not in Priority.values:
        errors["priority"] = "Choose a priority, or any."
    if not 0 <= data.position <= 999:
        errors["position"] = "Give an order from 0 to 999 (lower is tried first)."
    if errors:
        raise ValidationError(errors)
    if data.unit == schedule.WEEKLY_THEN_MONTHLY:
        data.every = 1
    creating = rule is None
    rule = rule or FollowUpRule(agency=actor.agency)
    before = {} if creating else {f.name: getattr(rule, f.name) for f in fields(RuleData)}
    for f in fields(RuleData):
        setattr(rule, f.name, getattr(data, f.name))
    rule.updated_by = actor.membership
    rule.updated_at = timezone.now()
    with transaction.atomic():
        if creating:
            rule.save()
        else:
            own = [f.name for f in fields(RuleData)]
            save_versioned(rule, version=version, fields=[*own, "updated_by", "updated_at"])
        changed = sorted(
            f.name for f in fields(RuleData) if before.get(f.name) != getattr(rule, f.name)
        )
        audit_record(
            actor=actor,
            action=AuditAction.FOLLOWUP_RULE_SAVE,
            obj=rule,
            details={"created": creating, "fields": changed},
        )
    return rule


def matching_rule(case: Case, rules: list[FollowUpRule] | None = None) -> FollowUpRule | None:
    """The first active rule, in order, whose victimization type (any, when empty) is one of the
    case's and whose priority (any, when empty) is the case's."""
    if rules is None:
        rules = list(FollowUpRule.objects.filter(agency_id=case.agency_id, is_active=True))
    codes = {v.code for v in case.victimizations.all()}
    for rule in rules:
        if not rule.is_active:
            continue
        if rule.victimization and rule.victimization not in codes:
            continue
        if rule.priority and rule.priority != case.priority:
            continue
        return rule
    return None
