"""Which outreach rule a report matches, and whether a victim on it is excluded.

Pure functions over plain facts, so the import, its dry run and the rule pages all decide the
same way. The database side (people, cases, assignment) is in decisions.py.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from haven.incidents.models import PersonRole
from haven.outreach.models import MinorVictims, OutreachOutcome, OutreachRule

ADULT_AGE = 18


@dataclass(frozen=True)
class PersonFacts:
    role: str
    first_name: str = ""
    last_name: str = ""
    date_of_birth: date | None = None
    age: int | None = None
    person_id: int | None = None  # the known person it is linked to, if any

    @property
    def is_named(self) -> bool:
        return bool(self.first_name and self.last_name)


@dataclass(frozen=True)
class ReportFacts:
    reported_at: datetime
    offense_codes: frozenset[str]
    nibrs_codes: frozenset[str]
    domestic_violence: bool = False
    firearm: bool = False
    district_id: int | None = None
    people: tuple[PersonFacts, ...] = field(default_factory=tuple)
    # The offenses' descriptions as exported ("DOMESTIC BATTERY SIMPLE").
    offense_descriptions: frozenset[str] = frozenset()

    @property
    def victims(self) -> list[PersonFacts]:
        return [p for p in self.people if p.role == PersonRole.VICTIM]

    @property
    def suspects(self) -> list[PersonFacts]:
        return [p for p in self.people if p.role == PersonRole.SUSPECT]


@dataclass(frozen=True)
class RuleSpec:
    """What a rule matches, detached from the database row (the row's pk rides along)."""

    pk: int | None
    nibrs_codes: frozenset[str]
    offense_codes: tuple[str, ...]
    requires_domestic_violence: bool
    requires_firearm: bool
    district_ids: frozenset[int]
    max_report_age_days: int
    minors: str
    description_contains: tuple[str, ...] = ()
    description_regex: re.Pattern | None = None

    @classmethod
    def of(cls, rule: OutreachRule, district_ids: Iterable[int]) -> RuleSpec:
        return cls(
            pk=rule.pk,
            nibrs_codes=frozenset(c.upper() for c in rule.nibrs_codes),
            offense_codes=tuple(c.upper() for c in rule.offense_codes),
            requires_domestic_violence=rule.requires_domestic_violence,
            requires_firearm=rule.requires_firearm,
            district_ids=frozenset(district_ids),
            max_report_age_days=rule.max_report_age_days,
            minors=rule.minors,
            description_contains=tuple(t.casefold() for t in rule.description_contains),
            description_regex=compile_description(rule.description_regex),
        )


def compile_description(pattern: str) -> re.Pattern | None:
    """The rule's description pattern, ignoring case; None when there is none. Raises re.error
    for a pattern that is not a regular expression (services.py turns it into a message)."""
    return re.compile(pattern, re.IGNORECASE) if pattern else None


def description_matches(rule: RuleSpec, descriptions: Iterable[str]) -> bool:
    for text in descriptions:
        folded = text.casefold()
        if any(part in folded for part in rule.description_contains):
            return True
        if rule.description_regex is not None and rule.description_regex.search(text):
            return True
    return False


def offense_code_matches(pattern: str, code: str) -> bool:
    if pattern.endswith("*"):
        return code.startswith(pattern[:-1])
    return code == pattern


def rule_matches(rule: RuleSpec, report: ReportFacts) -> bool:
    """The report shows what the rule asks for (offenses, flags, district), at any age."""
    if rule.requires_domestic_violence and not report.domestic_violence:
        return False
    if rule.requires_firearm and not report.firearm:
        return False
    if rule.district_ids and report.district_id not in rule.district_ids:
        return False
    if not (
        rule.nibrs_codes
        or rule.offense_codes
        or rule.description_contains
        or rule.description_regex
    ):
        return True
    if rule.nibrs_codes & report.nibrs_codes:
        return True
    if description_matches(rule, report.offense_descriptions):
        return True
    return any(
        offense_code_matches(pattern, code.upper())
        for pattern in rule.offense_codes
        for code in report.offense_codes
    )


def first_matching(rules: Sequence[RuleSpec], report: ReportFacts) -> RuleSpec | None:
    return next((rule for rule in rules if rule_matches(rule, report)), None)


def is_recent(rule: RuleSpec, report: ReportFacts, now: datetime) -> bool:
    return report.reported_at >= now - timedelta(days=rule.max_report_age_days)


def age_at(person: PersonFacts, when: date) -> int | None:
    if person.date_of_birth is not None:
        born = person.date_of_birth
        return when.year - born.year - ((when.month, when.day) < (born.month, born.day))
    return person.age


def is_minor(person: PersonFacts, when: date) -> bool:
    age = age_at(person, when)
    return age is not None and age < ADULT_AGE


def is_also_suspect(victim: PersonFacts, report: ReportFacts) -> bool:
    """The same person is listed as a suspect on the report: linked to the same known person,
    or the same name (and birth date, where both have one). An unnamed victim never is."""
    for suspect in report.suspects:
        if victim.person_id and victim.person_id == suspect.person_id:
            return True
        if not (victim.is_named and suspect.is_named):
            continue
        same_name = (victim.first_name.casefold(), victim.last_name.casefold()) == (
            suspect.first_name.casefold(),
            suspect.last_name.casefold(),
        )
        births = (victim.date_of_birth, suspect.date_of_birth)
        if same_name and (None in births or births[0] == births[1]):
            return True
    return False


def exclusion(rule: RuleSpec, victim: PersonFacts, report: ReportFacts) -> str | None:
    """The OutreachOutcome that keeps this victim's case from opening, or None."""
    if is_also_suspect(victim, report):
        return OutreachOutcome.EXCLUDED_SUSPECT
    if rule.minors == MinorVictims.SKIP and is_minor(victim, report.reported_at.date()):
        return OutreachOutcome.EXCLUDED_MINOR
    return None
