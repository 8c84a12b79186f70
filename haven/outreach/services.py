"""Saving an agency's outreach rules (coordinators: agency.configure).

A rule is never deleted, only switched off: the decisions it made point to it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields, replace

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from haven.agencies.models import District, Membership
from haven.agencies.roles import CASEWORKER_ROLES, Perm
from haven.audit.models import AuditAction
from haven.audit.services import audit_record
from haven.cases.models import Priority
from haven.core.actor import Actor
from haven.core.versions import check_version, lock_version, save_versioned
from haven.incidents.codes import nibrs_offenses
from haven.lib.reference import choices
from haven.outreach.models import MinorVictims, OutreachRule, RouteTo
from haven.protocols.models import ProtocolTemplate

MAX_AGE_DAYS = 365
CODE_MAX = 20
DESCRIPTION_MAX = 200
POSITION_MAX = 999


@dataclass
class RuleData:
    name: str
    victimization: str
    nibrs_codes: list[str] = field(default_factory=list)
    offense_codes: list[str] = field(default_factory=list)
    description_contains: list[str] = field(default_factory=list)
    description_regex: str = ""
    requires_domestic_violence: bool = False
    requires_firearm: bool = False
    districts: list[District] = field(default_factory=list)
    max_report_age_days: int = 14
    priority: str = Priority.NORMAL
    route: str = RouteTo.DISTRICT
    assign_to: Membership | None = None
    minors: str = MinorVictims.GUARDIAN
    first_step: str = ""
    protocol: ProtocolTemplate | None = None
    position: int = 0
    is_active: bool = True


def _clean(actor: Actor, data: RuleData) -> RuleData:
    errors = {}
    data.name = data.name.strip()
    data.first_step = data.first_step.strip()
    data.nibrs_codes = sorted({c.strip().upper() for c in data.nibrs_codes if c.strip()})
    data.offense_codes = sorted({c.strip().upper() for c in data.offense_codes if c.strip()})
    if not data.name:
        errors["name"] = "Name the rule, e.g. “Domestic violence”."
    elif len(data.name) > 80:
        errors["name"] = "Keep the name to 80 characters."
    errors.update(_clean_matching(data))
    if data.victimization not in dict(choices("pmt", "victimization_types")):
        errors["victimization"] = "Choose the victimization type the cases get."
    if data.priority not in Priority.values:
        errors["priority"] = "Choose a priority."
    if data.route not in RouteTo.values:
        errors["route"] = "Choose who gets the cases."
    if data.minors not in MinorVictims.values:
        errors["minors"] = "Choose what happens when the victim is a minor."
    if not 1 <= data.max_report_age_days <= MAX_AGE_DAYS:
        errors["max_report_age_days"] = f"Give a number of days from 1 to {MAX_AGE_DAYS}."
    if not 0 <= data.position <= POSITION_MAX:
        errors["position"] = f"Give an order from 0 to {POSITION_MAX} (lower is tried first)."
    if len(data.first_step) > 200:
        errors["first_step"] = "Keep the first step to 200 characters."
    errors.update(_clean_routing(actor, data))
    if errors:
        raise ValidationError(errors)
    return data


def _clean_matching(data: RuleData) -> dict[str, str]:
    """What a report must carry to match: known codes, texts, at least one of them or a flag."""
    errors = {}
    unknown = [c for c in data.nibrs_codes if c not in nibrs_offenses()]
    if unknown:
        errors["nibrs_codes"] = (
            f"Not NIBRS offense codes: {', '.join(unknown)}. Use codes such as 13A, 11A, 09A."
        )
    too_long = [c for c in data.offense_codes if len(c) > CODE_MAX]
    if too_long:
        errors["offense_codes"] = f"Codes are at most {CODE_MAX} characters: {too_long[0]}."
    errors.update(_clean_description(data))
    if not (
        data.nibrs_codes
        or data.offense_codes
        or data.description_contains
        or data.description_regex
        or data.requires_domestic_violence
        or data.requires_firearm
    ):
        errors["nibrs_codes"] = (
            "Give at least one offense code or description text, or require a flag (domestic "
            "violence, firearm): a rule without any would open a case for every report."
        )
    return errors


def _clean_routing(actor: Actor, data: RuleData) -> dict[str, str]:
    """Where the cases go: this agency's protocol, districts and specialist (only when the
    rule routes to one)."""
    errors = {}
    if data.protocol is not None and data.protocol.agency_id != actor.agency.pk:
        errors["protocol"] = "Choose a protocol of this agency."
    if any(d.agency_id != actor.agency.pk for d in data.districts):
        errors["districts"] = "Choose districts of this agency."
    member = data.assign_to
    if data.route == RouteTo.SPECIALIST:
        if member is None:
            errors["assign_to"] = "Choose the specialist who gets these cases."
        elif (
            member.agency_id != actor.agency.pk
            or not member.is_active
            or member.role not in CASEWORKER_ROLES
        ):
            errors["assign_to"] = "Choose an active specialist of this agency."
    else:
        data.assign_to = None
    return errors


def _clean_description(data: RuleData) -> dict[str, str]:
    """Description texts are kept as typed (matched ignoring case); the pattern must compile."""
    errors = {}
    texts = {" ".join(t.split()) for t in data.description_contains}
    data.description_contains = sorted(t for t in texts if t)
    data.description_regex = data.description_regex.strip()
    if any(len(t) > DESCRIPTION_MAX for t in data.description_contains):
        errors["description_contains"] = f"Keep each text to {DESCRIPTION_MAX} characters."
    if len(data.description_regex) > DESCRIPTION_MAX:
        errors["description_regex"] = f"Keep the pattern to {DESCRIPTION_MAX} characters."
    elif data.description_regex:
        try:
            re.compile(data.description_regex)
        except re.error as exc:
            errors["description_regex"] = (
                f"This is not a regular expression ({exc.msg}, at character {(exc.pos or 0) + 1})"
                ". Use | between alternatives and \\ before a special character, e.g. "
                "DOMESTIC|INTIMATE PARTNER or ORDER \\(PROTECTIVE\\)."
            )
    return errors


def outreach_rule_save(
    *, actor: Actor, data: RuleData, rule: OutreachRule | None = None, version: int | None = None
) -> OutreachRule:
    """Create a rule (rule=None) or change one; the audit event names the fields changed.
    A change is refused (StaleEdit, nothing written) if the rule was saved since `version`."""
    actor.require(Perm.AGENCY_CONFIGURE)
    if rule is not None:
        actor.require_own(rule)
        check_version(rule, version)
    data = _clean(actor, data)
    creating = rule is None
    rule = rule or OutreachRule(agency=actor.agency)
    before = {} if creating else _values(rule)
    for f in fields(RuleData):
        if f.name != "districts":
            setattr(rule, f.name, getattr(data, f.name))
    rule.updated_by = actor.membership
    rule.updated_at = timezone.now()
    with transaction.atomic():
        if creating:
            rule.save()
        else:
            lock_version(rule, version)
            own = [f.name for f in fields(RuleData) if f.name != "districts"]
            save_versioned(rule, version=version, fields=[*own, "updated_by", "updated_at"])
        rule.districts.set(data.districts)
        after = _values(rule)
        changed = sorted(k for k in after if before.get(k) != after[k])
        audit_record(
            actor=actor,
            action=AuditAction.OUTREACH_RULE_SAVE,
            obj=rule,
            details={"created": creating, "fields": changed},
        )
    return rule


# What most police-based units start with (docs/outreach.md); a coordinator adjusts them.
STARTER_RULES = (
    RuleData(
        name="Homicide survivors",
        victimization="homicide_survivor",
        nibrs_codes=["09A", "09B"],
        priority=Priority.HIGH,
        max_report_age_days=30,
        first_step="Find and reach the victim's family (next of kin)",
    ),
    RuleData(
        name="Non-fatal shootings",
        victimization="adult_physical_assault",
        nibrs_codes=["13A"],
        requires_firearm=True,
        priority=Priority.HIGH,
    ),
    RuleData(
        name="Sexual assault",
        victimization="adult_sexual_assault",
        nibrs_codes=["11A", "11B", "11C", "11D"],
        priority=Priority.HIGH,
    ),
    RuleData(
        name="Domestic violence",
        victimization="domestic_violence",
        requires_domestic_violence=True,
    ),
)


# The shipped protocol (haven.protocols.starting) each starter rule starts, where the agency
# has it.
STARTER_PROTOCOLS = {
    "Homicide survivors": "homicide-survivors",
    "Non-fatal shootings": "non-fatal-shooting",
    "Sexual assault": "sexual-assault",
    "Domestic violence": "domestic-violence",
}


def outreach_rules_start(*, actor: Actor) -> list[OutreachRule]:
    """Give an agency without rules the starter set; refused once it has any. Each rule names
    its protocol when the agency has the shipped one."""
    actor.require(Perm.AGENCY_CONFIGURE)
    if OutreachRule.objects.filter(agency=actor.agency).exists():
        raise ValidationError(
            gettext("The agency already has outreach rules: change those instead.")
        )
    protocols = {
        t.key: t
        for t in ProtocolTemplate.objects.filter(
            agency=actor.agency, key__in=STARTER_PROTOCOLS.values(), is_active=True
        )
    }
    with transaction.atomic():
        return [
            outreach_rule_save(
                actor=actor,
                data=replace(
                    data,
                    position=10 * (i + 1),
                    protocol=protocols.get(STARTER_PROTOCOLS.get(data.name, "")),
                ),
            )
            for i, data in enumerate(STARTER_RULES)
        ]


def _values(rule: OutreachRule) -> dict:
    values = {f.name: getattr(rule, f.name) for f in fields(RuleData) if f.name != "districts"}
    values["assign_to"] = rule.assign_to_id
    values["protocol"] = rule.protocol_id
    values["districts"] = sorted(rule.districts.values_list("pk", flat=True)) if rule.pk else []
    return values
