"""The rights rule sets (rules/*.json) and what one event owes under them.

A rule names the triggers it answers ("court.scheduled", "court.moved", "court.held",
"custody"), the court or custody event kinds, the right and its citation, who owes it, when it
is due, whether it is owed only on the victim's request, and the message template (blank when
the unit sends nothing itself). See docs/justice.md.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from pathlib import Path

from haven.justice.models import CourtEventKind, CustodyEventKind, Jurisdiction, OwedBy

RULES_DIR = Path(__file__).parent / "rules"
FILES = {Jurisdiction.ILLINOIS: "illinois.json", Jurisdiction.FEDERAL: "federal_cvra.json"}
# Every rule names its section of the Illinois Act or of the federal CVRA.
STATUTES = ("725 ILCS 120/", "18 U.S.C. 3771(")
TRIGGERS = {"court.scheduled", "court.moved", "court.held", "custody"}
# A moved date is told with the "changed" message, whatever the rule's scheduled template.
MOVED_TEMPLATE = {"court_event_scheduled": "court_event_changed"}


class RuleError(ValueError):
    """A rule file that does not say what it must: a bug in the shipped data."""


@dataclass(frozen=True)
class Rule:
    jurisdiction: str
    key: str
    triggers: frozenset[str]
    court_kinds: frozenset[str]
    custody_kinds: frozenset[str]
    right: str
    citation: str
    owed_by: str
    after_trigger_hours: float | None
    before_event_hours: float | None
    on_request: bool
    template: str

    def applies(self, trigger: str, kind: str) -> bool:
        if trigger not in self.triggers:
            return False
        kinds = self.custody_kinds if trigger == "custody" else self.court_kinds
        return kind in kinds

    def due_at(self, *, trigger_at: datetime, event_at: datetime) -> datetime:
        """The earlier of "N hours after Haven learned of it" and "N hours before the event",
        but never before Haven learned of it (nobody can honor a right in the past)."""
        candidates = []
        if self.after_trigger_hours is not None:
            candidates.append(trigger_at + timedelta(hours=self.after_trigger_hours))
        if self.before_event_hours is not None:
            candidates.append(event_at - timedelta(hours=self.before_event_hours))
        return max(trigger_at, min(candidates))

    def template_for(self, trigger: str) -> str:
        if trigger == "court.moved":
            return MOVED_TEMPLATE.get(self.template, self.template)
        return self.template


def _rule(jurisdiction: str, raw: dict) -> Rule:
    key = raw.get("key", "?")
    due = raw.get("due") or {}
    triggers = frozenset(raw.get("triggers", []))
    court_kinds = frozenset(raw.get("court_kinds", []))
    custody_kinds = frozenset(raw.get("custody_kinds", []))
    problems = [
        *(f"unknown trigger {t}" for t in triggers - TRIGGERS),
        *(f"unknown court kind {k}" for k in court_kinds - set(CourtEventKind.values)),
        *(f"unknown custody kind {k}" for k in custody_kinds - set(CustodyEventKind.values)),
    ]
    if raw.get("owed_by") not in OwedBy.values:
        problems.append(f"owed_by must be one of {', '.join(OwedBy.values)}")
    if due.get("after_trigger_hours") is None and due.get("before_event_hours") is None:
        problems.append("due needs after_trigger_hours or before_event_hours")
    if not raw.get("right") or not raw.get("citation"):
        problems.append("right and citation are required")
    elif not any(statute in raw["citation"] for statute in STATUTES):
        problems.append(f"the citation must name its section of {' or '.join(STATUTES)}")
    if problems:
        raise RuleError(f"Rule {jurisdiction}/{key}: {'; '.join(problems)}.")
    return Rule(
        jurisdiction=jurisdiction,
        key=key,
        triggers=triggers,
        court_kinds=court_kinds,
        custody_kinds=custody_kinds,
        right=raw["right"],
        citation=raw["citation"],
        owed_by=raw["owed_by"],
        after_trigger_hours=due.get("after_trigger_hours"),
        before_event_hours=due.get("before_event_hours"),
        on_request=bool(raw.get("on_request")),
        template=raw.get("template", ""),
    )


@cache
def rule_set(jurisdiction: str) -> tuple[Rule, ...]:
    data = json.loads((RULES_DIR / FILES[Jurisdiction(jurisdiction)]).read_text())
    rules = tuple(_rule(jurisdiction, raw) for raw in data["rules"])
    keys = [r.key for r in rules]
    if len(keys) != len(set(keys)):
        raise RuleError(f"Rule keys repeat in {FILES[jurisdiction]}.")
    return rules


@cache
def rule_file(jurisdiction: str) -> dict:
    """The whole file (name, sources, notes), for the docs and the settings page."""
    return json.loads((RULES_DIR / FILES[Jurisdiction(jurisdiction)]).read_text())


def rules_for(jurisdictions: list[str], trigger: str, kind: str) -> list[Rule]:
    return [
        rule
        for jurisdiction in jurisdictions
        for rule in rule_set(jurisdiction)
        if rule.applies(trigger, kind)
    ]
