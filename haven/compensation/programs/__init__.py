"""Compensation programs as data: one JSON file per state program in this folder
(illinois.json first). A file has the program's lists (crime types, claimant relations,
exceptions to the police-report rule, expense categories and the documents each needs), a
`base` set of rules and dated `changes`. The rules in force for a crime are the base with every
change dated on or before the crime date applied in order, so an amendment is an edit of the
file, never of the code.

`program(code)` loads and validates a file once; `program_choices()` lists them for forms.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

HERE = Path(__file__).parent

RULE_KEYS = {
    "filing_years_from_crime": int,
    "filing_years_from_charge": int,
    "minor_years_after_18": int,
    "report_hours": int,
    "report_hours_sex_offense": int,
    "provider_notification": bool,
    "cooperation_required": bool,
    "incarceration_bars_award": bool,
    "maximum_award": str,
    "caps": dict,
    "appeal_days": int,
}


@dataclass(frozen=True)
class Category:
    code: str
    label: str
    documents: tuple[str, ...]
    cap: str = ""  # key of a flat cap in rules.caps, for the category's total
    monthly_cap: str = ""  # key of a per-month cap in rules.caps, times the months claimed


@dataclass(frozen=True)
class Rules:
    """The rules in force for one crime date."""

    crime_date: date
    filing_years_from_crime: int
    filing_years_from_charge: int
    minor_years_after_18: int
    report_hours: int
    report_hours_sex_offense: int
    provider_notification: bool
    cooperation_required: bool
    incarceration_bars_award: bool
    maximum_award: Decimal
    caps: dict[str, Decimal]
    appeal_days: int
    # The dated changes applied, oldest first: (date, source key, summary).
    changes: tuple[tuple[date, str, str], ...] = ()


def _add_years(day: date, years: int) -> date:
    """The same calendar day `years` later; 29 February becomes 28 February."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


@dataclass(frozen=True)
class Program:
    code: str
    name: str
    statute: str
    administrator: str
    phone: str
    sources: dict[str, str]
    relations: dict[str, str]
    crime_types: dict[str, str]
    sex_offenses: frozenset[str]
    exceptions: dict[str, dict]
    categories: dict[str, Category]
    documents: dict[str, str]
    base_from: date
    base: dict
    changes: tuple[dict, ...]
    rule_sources: dict[str, str] = field(default_factory=dict)

    def rules_on(self, crime_date: date) -> Rules:
        """The base rules with every change dated on or before `crime_date` applied.

        A change marked `extends_open_claims` (a longer filing window) also reaches an older
        crime whose window under the rules before it was still open on the change's date: a
        limitations period lengthened by law covers the claims it had not yet barred."""
        values = dict(self.base)
        applied = []
        for change in self.changes:
            if change["from"] <= crime_date:
                values.update(change["rules"])
                applied.append((change["from"], change["source"], change["summary"]))
            elif change.get("extends_open_claims") and (
                _add_years(crime_date, values["filing_years_from_crime"]) >= change["from"]
            ):
                window = change["rules"]["filing_years_from_crime"]
                values["filing_years_from_crime"] = window
                applied.append(
                    (
                        change["from"],
                        change["source"],
                        f"Filing window: {window} years, since this claim was still open when "
                        f"the longer window took effect on {change['from']:%b %-d, %Y}.",
                    )
                )
        caps = {key: Decimal(amount) for key, amount in values.pop("caps").items()}
        return Rules(
            crime_date=crime_date,
            maximum_award=Decimal(values.pop("maximum_award")),
            caps=caps,
            changes=tuple(applied),
            **values,
        )

    def source(self, key: str) -> str:
        """The citation(s) for one of rule_sources' keys, written out."""
        refs = [ref.strip() for ref in self.rule_sources.get(key, "").split(";") if ref.strip()]
        return "; ".join(self.sources.get(ref.split(" ")[0], ref) for ref in refs)


def _fail(path: Path, message: str):
    raise ImproperlyConfigured(f"Compensation program {path.name}: {message}")


def _date(path: Path, value, where: str) -> date:
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        _fail(path, f"{where} must be a date like 2025-01-01, not {value!r}.")


def _check_rules(path: Path, rules: dict, where: str, *, complete: bool) -> None:
    unknown = set(rules) - set(RULE_KEYS)
    if unknown:
        _fail(path, f"{where} has unknown rules {sorted(unknown)}.")
    if complete and set(RULE_KEYS) - set(rules):
        _fail(path, f"{where} lacks rules {sorted(set(RULE_KEYS) - set(rules))}.")
    for key, value in rules.items():
        if not isinstance(value, RULE_KEYS[key]) or (
            RULE_KEYS[key] is int and isinstance(value, bool)
        ):
            _fail(path, f"{where}: {key} must be {RULE_KEYS[key].__name__}, not {value!r}.")
    amounts = [rules["maximum_award"]] if "maximum_award" in rules else []
    amounts += list(rules.get("caps", {}).values())
    for amount in amounts:
        try:
            ok = Decimal(amount) > 0 and Decimal(amount) == Decimal(amount).quantize(
                Decimal("0.01")
            )
        except (InvalidOperation, TypeError):
            ok = False
        if not ok:
            _fail(path, f"{where}: amounts are strings of dollars and cents, not {amount!r}.")


# long: validates one program file key by key, failing at the first problem
def load(path: Path) -> Program:
    """Read and validate one program file; ImproperlyConfigured says what is wrong."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        _fail(path, f"cannot be read as JSON ({exc}).")
    for key in ("code", "name", "sources", "crime_types", "categories", "documents", "base"):
        if key not in data:
            _fail(path, f"lacks {key!r}.")
    if data["code"] != path.stem:
        _fail(path, f"code {data['code']!r} must match the file name.")
    _check_rules(path, data["base"]["rules"], "base", complete=True)
    base_from = _date(path, data["base"].get("from"), "base.from")
    changes = []
    previous = base_from
    for i, change in enumerate(data.get("changes", [])):
        when = _date(path, change.get("from"), f"changes[{i}].from")
        if when <= previous:
            _fail(path, f"changes[{i}] must be later than the one before it ({previous}).")
        if change.get("source") not in data["sources"]:
            _fail(path, f"changes[{i}] cites {change.get('source')!r}, not in sources.")
        _check_rules(path, change.get("rules", {}), f"changes[{i}]", complete=False)
        if change.get("extends_open_claims") and set(change["rules"]) != {
            "filing_years_from_crime"
        }:
            _fail(path, f"changes[{i}]: only a filing window change can extend open claims.")
        changes.append({**change, "from": when})
        previous = when
    caps = data["base"]["rules"]["caps"]
    categories = {}
    for item in data["categories"]:
        for doc in item["documents"]:
            if doc not in data["documents"]:
                _fail(path, f"category {item['code']} needs an unknown document {doc!r}.")
        for kind in ("cap", "monthly_cap"):
            if item.get(kind) and item[kind] not in caps:
                _fail(path, f"category {item['code']} names an unknown cap {item[kind]!r}.")
        categories[item["code"]] = Category(
            code=item["code"],
            label=item["label"],
            documents=tuple(item["documents"]),
            cap=item.get("cap", ""),
            monthly_cap=item.get("monthly_cap", ""),
        )
    for rule, refs in data.get("rule_sources", {}).items():
        for ref in (r.strip() for r in refs.split(";")):
            if ref not in data["sources"]:
                _fail(path, f"rule_sources.{rule} cites {ref!r}, not in sources.")
    exceptions = {e["code"]: e for e in data.get("report_exceptions", [])}
    for code, exc in exceptions.items():
        if exc.get("requires") and exc["requires"] not in RULE_KEYS:
            _fail(path, f"exception {code} requires an unknown rule {exc['requires']!r}.")
    return Program(
        code=data["code"],
        name=data["name"],
        statute=data.get("statute", ""),
        administrator=data.get("administrator", ""),
        phone=data.get("phone", ""),
        sources=data["sources"],
        relations={r["code"]: r["label"] for r in data.get("claimant_relations", [])},
        crime_types={c["code"]: c["label"] for c in data["crime_types"]},
        sex_offenses=frozenset(c["code"] for c in data["crime_types"] if c.get("sex_offense")),
        exceptions=exceptions,
        categories=categories,
        documents=data["documents"],
        base_from=base_from,
        base=data["base"]["rules"],
        changes=tuple(changes),
        rule_sources=data.get("rule_sources", {}),
    )


@cache
def program(code: str) -> Program:
    path = HERE / f"{code}.json"
    if not code.isidentifier() or not path.exists():
        raise ImproperlyConfigured(f"No compensation program {code!r} (add programs/{code}.json).")
    return load(path)


def program_codes() -> list[str]:
    return sorted(p.stem for p in HERE.glob("*.json"))


def program_choices() -> list[tuple[str, str]]:
    return [(code, program(code).name) for code in program_codes()]
