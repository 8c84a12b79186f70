"""The eligibility check, pure: given a claim's facts and the program's rules in force on the
crime date, say for each rule whether it passes, fails or cannot be told yet, why, and what
would fix it. No database, no clock: `today` is passed in, so every boundary can be tested.

Dates only (Haven records the day of the crime and of the report, not the hour): a limit of
72 hours is counted as 3 days, so a report on the third day after the crime is in time and on
the fourth is late. The specialist records "timely under the circumstances" when it applies.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from haven.compensation.programs import Program, Rules

PASS = "pass"
FAIL = "fail"
UNKNOWN = "unknown"
CENT = Decimal("0.01")


def money(amount: Decimal | None) -> str:
    return "—" if amount is None else f"${amount:,.2f}"


def add_years(day: date, years: int) -> date:
    """The same calendar day `years` later; 29 February becomes 28 February."""
    year = day.year + years
    if day.month == 2 and day.day == 29 and not calendar.isleap(year):
        return date(year, 2, 28)
    return day.replace(year=year)


@dataclass(frozen=True)
class ClaimFacts:
    crime_date: date | None
    crime_type: str = ""
    claimant_relation: str = ""
    claimant_birth_date: date | None = None
    # The victim's, when someone else claims (a parent or guardian for a child, say): a minor
    # victim's window runs from their own 18th birthday whoever files.
    victim_birth_date: date | None = None
    reported_on: date | None = None
    report_exception: str = ""
    cooperated: str = ""  # "yes", "no" or "" (not known yet)
    charges_filed_on: date | None = None
    filed_on: date | None = None  # None: not filed yet, judged against today
    late_good_cause: str = ""
    incarcerated: bool = False


@dataclass(frozen=True)
class ExpenseLine:
    category: str
    amount: Decimal
    months: int | None = None
    awarded: Decimal | None = None  # what the program awarded for it, once decided


@dataclass(frozen=True)
class Check:
    rule: str
    title: str
    outcome: str
    reason: str
    fix: str = ""
    source: str = ""


@dataclass
class CategoryTotal:
    code: str
    label: str
    claimed: Decimal = Decimal("0.00")
    cap: Decimal | None = None
    capped: Decimal = Decimal("0.00")
    awarded: Decimal | None = None
    warning: str = ""


@dataclass
class Totals:
    categories: list[CategoryTotal] = field(default_factory=list)
    claimed: Decimal = Decimal("0.00")
    capped: Decimal = Decimal("0.00")
    maximum_award: Decimal = Decimal("0.00")
    payable: Decimal = Decimal("0.00")
    awarded: Decimal | None = None  # the sum of the awards recorded per expense, if any
    warnings: list[str] = field(default_factory=list)


def filing_deadline(rules: Rules, facts: ClaimFacts) -> date | None:
    """The last day to file: N years after the crime, or M years after charges were filed,
    whichever is later; for a victim or claimant who was a minor at the crime, also up to K
    years after their 18th birthday."""
    if facts.crime_date is None:
        return None
    candidates = [add_years(facts.crime_date, rules.filing_years_from_crime)]
    if facts.charges_filed_on:
        candidates.append(add_years(facts.charges_filed_on, rules.filing_years_from_charge))
    for birth in (facts.claimant_birth_date, facts.victim_birth_date):
        if birth and add_years(birth, 18) > facts.crime_date:
            candidates.append(add_years(add_years(birth, 18), rules.minor_years_after_18))
    return max(candidates)


def appeal_deadline(rules: Rules, decided_on: date | None) -> date | None:
    return None if decided_on is None else decided_on + timedelta(days=rules.appeal_days)


def totals(program: Program, rules: Rules, lines: list[ExpenseLine]) -> Totals:
    """Claimed per category, each category's cap where the rules set one (a flat cap, or a
    monthly cap times the months claimed), the capped amounts, and the most the program can
    pay: the capped total, no more than the maximum award."""
    result = Totals(maximum_award=rules.maximum_award)
    by_code: dict[str, CategoryTotal] = {}
    months: dict[str, int] = {}
    for line in lines:
        category = program.categories.get(line.category)
        label = category.label if category else line.category
        row = by_code.setdefault(line.category, CategoryTotal(code=line.category, label=label))
        row.claimed += line.amount
        if line.awarded is not None:
            row.awarded = (row.awarded or Decimal("0.00")) + line.awarded
        months[line.category] = months.get(line.category, 0) + (line.months or 0)
    for code, row in by_code.items():
        category = program.categories.get(code)
        row.capped = row.claimed
        if category and category.cap:
            row.cap = rules.caps[category.cap]
        elif category and category.monthly_cap:
            if months[code]:
                row.cap = rules.caps[category.monthly_cap] * months[code]
            else:
                row.warning = (
                    f"{row.label}: record the months claimed; the program pays at most "
                    f"{money(rules.caps[category.monthly_cap])} a month."
                )
        if row.cap is not None and row.claimed > row.cap:
            row.capped = row.cap
            row.warning = (
                f"{row.label}: {money(row.claimed)} claimed is {money(row.claimed - row.cap)} "
                f"over the cap of {money(row.cap)}; at most {money(row.cap)} can be awarded."
            )
            if "haven-unverified" in program.rule_sources.get("caps", ""):
                row.warning += " (The cap is the last published figure; check it is current.)"
        if row.warning:
            result.warnings.append(row.warning)
        result.claimed += row.claimed
        result.capped += row.capped
        if row.awarded is not None:
            result.awarded = (result.awarded or Decimal("0.00")) + row.awarded
    result.categories = sorted(
        by_code.values(),
        key=lambda r: (
            list(program.categories).index(r.code) if r.code in program.categories else 99
        ),
    )
    result.payable = min(result.capped, rules.maximum_award)
    if result.capped > rules.maximum_award:
        result.warnings.append(
            f"The capped total {money(result.capped)} is "
            f"{money(result.capped - rules.maximum_award)} over the maximum award of "
            f"{money(rules.maximum_award)} for a crime on {rules.crime_date:%b %-d, %Y}."
        )
    return result


def _first_date(program: Program, key: str, value) -> date | None:
    for change in program.changes:
        if change["rules"].get(key) == value:
            return change["from"]
    return None


def check(
    program: Program, facts: ClaimFacts, *, today: date, lines: list[ExpenseLine] | None = None
) -> list[Check]:
    """Every rule of the program for this claim, in the order a specialist works through them."""
    if facts.crime_date is None:
        return [
            Check(
                "crime_date",
                "Date of the crime",
                UNKNOWN,
                "No crime date recorded: every other rule depends on it.",
                "Record the date of the crime.",
            )
        ]
    rules = program.rules_on(facts.crime_date)
    checks = [
        _crime_type(program, facts),
        _claimant(program, facts),
        _police_report(program, rules, facts),
        _cooperation(program, rules, facts),
        _filing(program, rules, facts, today),
        # The bar is on making an award while the applicant is held, so it follows the rules
        # in force now, not those of the crime's date.
        _incarceration(program, program.rules_on(today), facts),
    ]
    if lines is not None:
        checks.append(_maximum(program, rules, lines))
    return checks


def _crime_type(program: Program, facts: ClaimFacts) -> Check:
    title, source = "Eligible crime", program.sources.get("act", "")
    if not facts.crime_type:
        return Check(
            "crime_type",
            title,
            UNKNOWN,
            "No crime type recorded.",
            "Choose the crime from the program's list of crimes of violence.",
            source,
        )
    if facts.crime_type in program.crime_types:
        return Check(
            "crime_type",
            title,
            PASS,
            f"{program.crime_types[facts.crime_type]} is a crime of violence under "
            f"{program.statute}.",
            source=source,
        )
    return Check(
        "crime_type",
        title,
        FAIL,
        f"{facts.crime_type!r} is not on the program's list of crimes of violence.",
        "Check the charge with the detective: if it is on the list, choose it.",
        source,
    )


def _claimant(program: Program, facts: ClaimFacts) -> Check:
    title, source = "Who may apply", program.sources.get("act", "")
    if facts.claimant_relation in program.relations:
        return Check(
            "claimant",
            title,
            PASS,
            f"The claimant applies as: {program.relations[facts.claimant_relation]}.",
            source=source,
        )
    return Check(
        "claimant",
        title,
        UNKNOWN,
        "How the claimant relates to the crime is not recorded.",
        "Record whether the claimant is the victim, a dependent, a person who paid "
        "expenses, or a guardian.",
        source,
    )


# long: one rule with its documented exceptions, each a short return
def _police_report(program: Program, rules: Rules, facts: ClaimFacts) -> Check:
    title, source = "Reported to police in time", program.source("police_report")
    sex = facts.crime_type in program.sex_offenses
    hours = rules.report_hours_sex_offense if sex else rules.report_hours
    limit = f"{hours} hours" if hours % 24 or hours < 168 else f"{hours // 24} days"
    limit_text = f"the limit is {limit}" + (" for sex offenses" if sex else "")
    exception = program.exceptions.get(facts.report_exception) if facts.report_exception else None
    if facts.report_exception and exception is None:
        return Check(
            "police_report",
            title,
            FAIL,
            f"Unknown exception {facts.report_exception!r}.",
            "Choose an exception from the program's list.",
            source,
        )
    if exception:
        needs = exception.get("requires")
        if needs and not getattr(rules, needs):
            since = _first_date(program, needs, True)
            when = f" on or after {since:%b %-d, %Y}" if since else ""
            return Check(
                "police_report",
                title,
                FAIL,
                f"The exception “{exception['label']}” applies only to crimes{when}; "
                f"this crime was on {facts.crime_date:%b %-d, %Y}.",
                "Record when and to which agency the crime was reported, or the "
                "exception that applies to crimes of this date.",
                source,
            )
    if facts.reported_on is None:
        if exception:
            return Check(
                "police_report",
                title,
                PASS,
                f"Exception recorded: {exception['label']}.",
                source=source,
            )
        return Check(
            "police_report",
            title,
            UNKNOWN,
            "No report to police recorded.",
            f"Record when and to which agency the crime was reported ({limit_text}), "
            "or the exception that applies.",
            source,
        )
    days = (facts.reported_on - facts.crime_date).days
    if days < 0:
        return Check(
            "police_report",
            title,
            FAIL,
            "The report date is before the crime date.",
            "Check both dates and correct the wrong one.",
            source,
        )
    after = (
        "the same day as the crime"
        if days == 0
        else (f"{days} day{'s' if days != 1 else ''} after the crime")
    )
    if days * 24 <= hours:
        return Check(
            "police_report",
            title,
            PASS,
            f"Reported to police {after}; {limit_text}.",
            source=source,
        )
    if exception:
        return Check(
            "police_report",
            title,
            PASS,
            f"Reported {after}, past the limit ({limit}), with the exception: "
            f"{exception['label']}.",
            source=source,
        )
    return Check(
        "police_report",
        title,
        FAIL,
        f"Report to police was {after}; {limit_text} unless the report was timely "
        "under the circumstances"
        + (
            " or a medical or mental-health provider's treatment or opinion counts"
            if rules.provider_notification
            else ""
        )
        + ".",
        "Record the exception if one applies.",
        source,
    )


def _cooperation(program: Program, rules: Rules, facts: ClaimFacts) -> Check:
    title, source = "Cooperation with law enforcement", program.source("cooperation")
    if not rules.cooperation_required or facts.cooperated == "yes":
        return Check(
            "cooperation",
            title,
            PASS,
            "The claimant has cooperated with law enforcement.",
            source=source,
        )
    if facts.cooperated == "no":
        return Check(
            "cooperation",
            title,
            FAIL,
            "The claimant has not cooperated with law enforcement in apprehending and "
            "prosecuting the offender.",
            "If there was a reasonable cause (fear of retaliation, the offender unknown, "
            "the victim's health), record it in the status note: the Attorney "
            "General weighs it.",
            source,
        )
    return Check(
        "cooperation",
        title,
        UNKNOWN,
        "Cooperation is not recorded yet.",
        "Ask the detective and the claimant, then record it.",
        source,
    )


def _filing(program: Program, rules: Rules, facts: ClaimFacts, today: date) -> Check:
    title, source = "Filed within the deadline", program.source("filing_deadline")
    deadline = filing_deadline(rules, facts)
    on = facts.filed_on or today
    what = "Filed" if facts.filed_on else "Today is"
    window = f"{rules.filing_years_from_crime} years from the crime"
    if facts.charges_filed_on:
        window += f" or {rules.filing_years_from_charge} year after charges, whichever is later"
    if on <= deadline:
        left = (deadline - on).days
        reason = f"{what} {on:%b %-d, %Y}; the deadline is {deadline:%b %-d, %Y} ({window})"
        reason += f", {left} day{'s' if left != 1 else ''} left." if not facts.filed_on else "."
        return Check("filing_deadline", title, PASS, reason, source=source)
    late = (on - deadline).days
    if facts.late_good_cause:
        return Check(
            "filing_deadline",
            title,
            PASS,
            f"{late} days past the deadline of {deadline:%b %-d, %Y}; good cause recorded "
            "for a late application.",
            source=source,
        )
    return Check(
        "filing_deadline",
        title,
        FAIL,
        f"{what} {on:%b %-d, %Y}, {late} day{'s' if late != 1 else ''} past the deadline "
        f"of {deadline:%b %-d, %Y} ({window}).",
        "A late application is accepted only for good cause: record the good cause "
        "(or the claimant's date of birth if they were a minor).",
        source,
    )


def _incarceration(program: Program, rules: Rules, facts: ClaimFacts) -> Check:
    title, source = "Not held in a correctional institution", program.source("incarceration")
    if not rules.incarceration_bars_award:
        return Check("incarceration", title, PASS, "No such rule in force today.", source=source)
    if facts.incarcerated:
        return Check(
            "incarceration",
            title,
            FAIL,
            "No award while the applicant is held in a correctional institution.",
            "File anyway: the claim is considered after release.",
            source,
        )
    return Check("incarceration", title, PASS, "The applicant is not held.", source=source)


def _maximum(program: Program, rules: Rules, lines: list[ExpenseLine]) -> Check:
    title, source = "Within the maximum award", program.source("maximum_award")
    result = totals(program, rules, lines)
    if result.capped <= rules.maximum_award:
        return Check(
            "maximum_award",
            title,
            PASS,
            f"Capped total {money(result.capped)}; the maximum award is "
            f"{money(rules.maximum_award)}.",
            source=source,
        )
    return Check(
        "maximum_award",
        title,
        FAIL,
        f"Capped total {money(result.capped)} is "
        f"{money(result.capped - rules.maximum_award)} over the maximum award of "
        f"{money(rules.maximum_award)}.",
        f"Nothing to fix on the form: at most {money(rules.maximum_award)} can be "
        "awarded; tell the claimant before filing.",
        source,
    )
