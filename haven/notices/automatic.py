"""Automatic messages under the unit's control (issue 14, item 6).

Four messages go to a victim without a person pressing Send: a specialist took the case
(`update:specialist_assigned`), a court date was added or moved and a custody change (rights
notices, `justice.obligation:...` with a court or custody template), and the closing (the
satisfaction survey, `reports.survey:...`). For each, and each victimization type, the unit
chooses: **send**, **hold** for the specialist's review (with a preview; Send or Discard, no
editing: texts stay template-only), or **off**. Held is the default for domestic violence,
sexual assault, stalking and trafficking, where a text on a shared phone can put the victim in
danger (SPIDR's users switched these off for the same reason).

A case with several victimization types takes the strictest choice (off, then hold, then
send). A rights notice is owed by law (725 ILCS 120/4.5): "off" there means no automatic
written message, and the specialist gets the notice as a call to make instead. This module
only decides; held.py sends or discards what was held, and services.message_queue asks
`mode_for` before queueing.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from haven.agencies.roles import Perm
from haven.audit.models import AuditAction
from haven.audit.services import audit_record
from haven.cases.models import Case
from haven.core.actor import Actor
from haven.lib.reference import choices
from haven.notices.models import AutoKind, AutomaticRule, AutoMode

# Held by default: a message here could tell an abuser, trafficker or stalker the victim is
# working with victim services.
SENSITIVE = frozenset(
    {
        "domestic_violence",
        "adult_sexual_assault",
        "adult_abused_as_child",
        "child_sexual_abuse",
        "stalking",
        "trafficking_labor",
        "trafficking_sex",
    }
)
COURT_TEMPLATES = frozenset({"court_event_scheduled", "court_event_changed", "court_event_outcome"})
OFF_NOTE = (
    "The unit keeps this automatic message off for this kind of case; the rights notice is "
    "still owed: tell them by phone."
)
# Strictest first.
STRICTNESS = (AutoMode.OFF, AutoMode.HOLD, AutoMode.SEND)


def victimization_types() -> list[tuple[str, str]]:
    return choices("pmt", "victimization_types")


def default_mode(victimization: str) -> str:
    return AutoMode.HOLD if victimization in SENSITIVE else AutoMode.SEND


def kind_of(source: str, template: str) -> str | None:
    """Which automatic message a queued message is, or None (a message staff wrote, a
    referral or compensation update, ... are not automatic messages the unit controls)."""
    if source == "update:specialist_assigned":
        return AutoKind.CASE_TAKEN
    if source.startswith("reports.survey:"):
        return AutoKind.CLOSING
    if source.startswith("justice.obligation:"):
        if template in COURT_TEMPLATES:
            return AutoKind.COURT_DATE
        if template == "custody_event":
            return AutoKind.CUSTODY
    return None


def rules_table(agency) -> dict[tuple[str, str], str]:
    """(kind, victimization) -> mode for every pair, defaults filled in."""
    stored = {
        (r.kind, r.victimization): r.mode for r in AutomaticRule.objects.filter(agency=agency)
    }
    return {
        (kind, code): stored.get((kind, code), default_mode(code))
        for kind in AutoKind.values
        for code, _label in victimization_types()
    }


def mode_for(case: Case, kind: str | None) -> str:
    """The strictest choice over the case's victimization types (send when it has none)."""
    if kind is None:
        return AutoMode.SEND
    codes = list(case.victimizations.values_list("code", flat=True))
    if not codes:
        return AutoMode.SEND
    stored = dict(
        AutomaticRule.objects.filter(
            agency_id=case.agency_id, kind=kind, victimization__in=codes
        ).values_list("victimization", "mode")
    )
    modes = {stored.get(code, default_mode(code)) for code in codes}
    return next(mode for mode in STRICTNESS if mode in modes)


def automatic_rules_update(*, actor: Actor, modes: dict[tuple[str, str], str]) -> int:
    """Save the coordinator's choices (agency.configure). Returns how many changed; audited
    with each change."""
    actor.require(Perm.AGENCY_CONFIGURE)
    known = {code for code, _label in victimization_types()}
    current = rules_table(actor.agency)
    changed = {}
    for (kind, code), mode in modes.items():
        if kind not in AutoKind.values or code not in known or mode not in AutoMode.values:
            raise ValidationError(f"Unknown choice: {kind} / {code} / {mode}.")
        if current[(kind, code)] != mode:
            changed[(kind, code)] = mode
    if not changed:
        return 0
    with transaction.atomic():
        for (kind, code), mode in changed.items():
            AutomaticRule.objects.update_or_create(
                agency=actor.agency, kind=kind, victimization=code, defaults={"mode": mode}
            )
        audit_record(
            actor=actor,
            action=AuditAction.NOTICE_AUTO_RULES,
            object_type="notices.automaticrule",
            details={
                "changed": [
                    {"kind": k, "victimization": c, "from": current[(k, c)], "to": m}
                    for (k, c), m in sorted(changed.items())
                ]
            },
        )
    return len(changed)
