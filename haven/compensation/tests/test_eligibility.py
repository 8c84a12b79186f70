"""Every rule of the eligibility check at its boundaries: the day before, on and after each
deadline, each cap exactly and one cent over, and the effective-date switches."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from haven.compensation.eligibility import (
    FAIL,
    PASS,
    UNKNOWN,
    ClaimFacts,
    ExpenseLine,
    add_years,
    appeal_deadline,
    check,
    filing_deadline,
    totals,
)
from haven.compensation.programs import program

IL = program("illinois")
CRIME = date(2024, 3, 10)
TODAY = date(2024, 6, 1)


def facts(**changes) -> ClaimFacts:
    values = {
        "crime_date": CRIME,
        "crime_type": "battery",
        "claimant_relation": "victim",
        "reported_on": CRIME,
        "cooperated": "yes",
    } | changes
    return ClaimFacts(**values)


def result(rule: str, today=TODAY, lines=None, **changes):
    checks = {c.rule: c for c in check(IL, facts(**changes), today=today, lines=lines)}
    return checks[rule]


def test_a_complete_claim_passes_every_rule():
    checks = check(IL, facts(), today=TODAY, lines=[ExpenseLine("medical", Decimal("100.00"))])
    assert [c.outcome for c in checks] == [PASS] * 7
    assert all(c.source for c in checks)


def test_without_a_crime_date_nothing_can_be_told():
    [only] = check(IL, facts(crime_date=None), today=TODAY)
    assert only.outcome == UNKNOWN and "Record the date of the crime" in only.fix


# Reporting to police: 72 hours (3 days, as Haven records dates), 7 days for sex offenses.


@pytest.mark.parametrize(("days", "outcome"), [(0, PASS), (2, PASS), (3, PASS), (4, FAIL)])
def test_a_report_within_72_hours_passes_and_the_fourth_day_fails(days, outcome):
    check_ = result("police_report", reported_on=CRIME + timedelta(days=days))
    assert check_.outcome == outcome


def test_a_late_report_says_how_late_the_limit_and_what_to_record():
    check_ = result("police_report", reported_on=CRIME + timedelta(days=92))
    assert check_.outcome == FAIL
    assert check_.reason.startswith("Report to police was 92 days after the crime; the limit is 72")
    assert "timely under the circumstances" in check_.reason
    assert check_.fix == "Record the exception if one applies."


@pytest.mark.parametrize(("days", "outcome"), [(6, PASS), (7, PASS), (8, FAIL)])
def test_sex_offenses_have_seven_days(days, outcome):
    check_ = result(
        "police_report", crime_type="sex_offense", reported_on=CRIME + timedelta(days=days)
    )
    assert check_.outcome == outcome
    assert "for sex offenses" in check_.reason


def test_a_late_report_timely_under_the_circumstances_passes():
    check_ = result(
        "police_report",
        reported_on=CRIME + timedelta(days=20),
        report_exception="timely_circumstances",
    )
    assert check_.outcome == PASS and "timely under the circumstances" in check_.reason


def test_no_report_recorded_is_unknown_with_what_to_record():
    check_ = result("police_report", reported_on=None)
    assert check_.outcome == UNKNOWN and "or the exception that applies" in check_.fix


def test_a_report_dated_before_the_crime_fails():
    assert result("police_report", reported_on=CRIME - timedelta(days=1)).outcome == FAIL


@pytest.mark.parametrize(
    ("crime_date", "outcome"), [(date(2024, 12, 31), FAIL), (date(2025, 1, 1), PASS)]
)
def test_provider_treatment_counts_only_for_crimes_from_2025(crime_date, outcome):
    check_ = result(
        "police_report",
        today=date(2025, 6, 1),
        crime_date=crime_date,
        reported_on=None,
        report_exception="provider_protective_order",
    )
    assert check_.outcome == outcome
    if outcome == FAIL:
        assert "only to crimes on or after Jan 1, 2025" in check_.reason


# Cooperation.


@pytest.mark.parametrize(("cooperated", "outcome"), [("yes", PASS), ("no", FAIL), ("", UNKNOWN)])
def test_cooperation(cooperated, outcome):
    assert result("cooperation", cooperated=cooperated).outcome == outcome


# Filing deadline: 5 years from the crime for crimes from 2022, 2 years before.


@pytest.mark.parametrize(
    ("today", "outcome"),
    [(date(2029, 3, 9), PASS), (date(2029, 3, 10), PASS), (date(2029, 3, 11), FAIL)],
)
def test_the_filing_deadline_is_five_years_after_the_crime(today, outcome):
    check_ = result("filing_deadline", today=today)
    assert check_.outcome == outcome
    if outcome == FAIL:
        assert "1 day past the deadline of Mar 10, 2029" in check_.reason


def test_the_five_year_window_reaches_every_claim_still_open_when_it_took_effect():
    # Two years from Jan 1, 2020 ends on Jan 1, 2022, the day five years took effect: open.
    crime = date(2020, 1, 1)
    assert filing_deadline(IL.rules_on(crime), facts(crime_date=crime)) == date(2025, 1, 1)
    # A day earlier, the two years had ended the day before: that claim stays late.
    crime = date(2019, 12, 31)
    assert filing_deadline(IL.rules_on(crime), facts(crime_date=crime)) == date(2021, 12, 31)
    crime = date(2022, 1, 1)
    assert filing_deadline(IL.rules_on(crime), facts(crime_date=crime)) == date(2027, 1, 1)


def test_a_minor_victims_window_runs_from_their_18th_birthday_whoever_files():
    crime = date(2015, 6, 1)
    deadline = filing_deadline(
        IL.rules_on(crime),
        facts(
            crime_date=crime,
            claimant_birth_date=date(1980, 1, 1),
            victim_birth_date=date(2008, 3, 2),
        ),
    )
    assert deadline == date(2029, 3, 2)  # 18 on Mar 2, 2026, then three years


def test_a_filed_claim_is_judged_on_its_filing_date_not_today():
    check_ = result("filing_deadline", today=date(2035, 1, 1), filed_on=date(2029, 3, 10))
    assert check_.outcome == PASS


def test_charges_filed_late_extend_the_deadline_to_a_year_after_them():
    charged = date(2028, 9, 1)
    rules = IL.rules_on(CRIME)
    assert filing_deadline(rules, facts(charges_filed_on=charged)) == date(2029, 9, 1)
    assert filing_deadline(rules, facts(charges_filed_on=date(2024, 4, 1))) == date(2029, 3, 10)


def test_a_minor_has_three_years_after_turning_18():
    born = date(2010, 5, 20)  # 13 at the crime
    deadline = filing_deadline(IL.rules_on(CRIME), facts(claimant_birth_date=born))
    assert deadline == date(2031, 5, 20)
    adult = filing_deadline(IL.rules_on(CRIME), facts(claimant_birth_date=date(1990, 1, 1)))
    assert adult == date(2029, 3, 10)


def test_good_cause_lets_a_late_claim_pass_and_says_so():
    check_ = result("filing_deadline", today=date(2030, 1, 1), late_good_cause="in a coma")
    assert check_.outcome == PASS and "good cause recorded" in check_.reason


def test_a_leap_day_crime_counts_to_the_28th_of_february():
    assert add_years(date(2024, 2, 29), 5) == date(2029, 2, 28)


# Crime type, claimant, incarceration.


def test_a_crime_not_on_the_list_fails_and_a_missing_one_is_unknown():
    assert result("crime_type", crime_type="burglary").outcome == FAIL
    assert result("crime_type", crime_type="").outcome == UNKNOWN


def test_a_claimant_without_a_relation_is_unknown():
    assert result("claimant", claimant_relation="").outcome == UNKNOWN
    assert result("claimant", claimant_relation="paid_expenses").outcome == PASS


@pytest.mark.parametrize(
    ("today", "outcome"), [(date(2024, 12, 31), PASS), (date(2025, 1, 1), FAIL)]
)
def test_being_held_bars_an_award_from_2025_whenever_the_crime_was(today, outcome):
    check_ = result(
        "incarceration",
        today=today,
        crime_date=date(2024, 6, 1),
        reported_on=date(2024, 6, 1),
        incarcerated=True,
    )
    assert check_.outcome == outcome


# Maximum award and caps.


@pytest.mark.parametrize(
    ("crime_date", "amount", "outcome"),
    [
        (date(2022, 8, 7), "45000.00", PASS),
        (date(2022, 8, 7), "45000.01", FAIL),
        (date(2022, 8, 6), "27000.00", PASS),
        (date(2022, 8, 6), "27000.01", FAIL),
    ],
)
def test_the_maximum_award_exactly_passes_and_one_cent_over_fails(crime_date, amount, outcome):
    lines = [ExpenseLine("medical", Decimal(amount))]
    check_ = result(
        "maximum_award",
        today=crime_date + timedelta(days=30),
        lines=lines,
        crime_date=crime_date,
        reported_on=crime_date,
    )
    assert check_.outcome == outcome
    if outcome == FAIL:
        assert "$0.01 over the maximum award" in check_.reason


@pytest.mark.parametrize(
    ("amount", "capped", "warned"),
    [("7499.99", "7499.99", False), ("7500.00", "7500.00", False), ("7500.01", "7500.00", True)],
)
def test_funeral_and_burial_are_capped(amount, capped, warned):
    result_ = totals(IL, IL.rules_on(CRIME), [ExpenseLine("funeral", Decimal(amount))])
    [row] = result_.categories
    assert row.cap == Decimal("7500.00") and row.capped == Decimal(capped)
    assert bool(result_.warnings) is warned
    if warned:
        assert "$0.01 over the cap of $7,500.00" in result_.warnings[0]


def test_loss_of_earnings_is_capped_per_month_claimed():
    lines = [
        ExpenseLine("loss_of_earnings", Decimal("2000.00"), months=1),
        ExpenseLine("loss_of_earnings", Decimal("500.00"), months=1),
    ]
    [row] = totals(IL, IL.rules_on(CRIME), lines).categories
    assert row.cap == Decimal("2500.00") and row.capped == Decimal("2500.00")
    one_cent_more = [*lines, ExpenseLine("loss_of_earnings", Decimal("0.01"))]
    over = totals(IL, IL.rules_on(CRIME), one_cent_more)
    assert over.categories[0].capped == Decimal("2500.00")
    assert "$0.01 over the cap of $2,500.00" in over.warnings[0]


def test_loss_of_earnings_without_months_warns_to_record_them():
    result_ = totals(IL, IL.rules_on(CRIME), [ExpenseLine("loss_of_earnings", Decimal("10.00"))])
    assert "record the months claimed" in result_.warnings[0]


def test_the_payable_total_stops_at_the_maximum_award():
    lines = [ExpenseLine("medical", Decimal("40000.00")), ExpenseLine("funeral", Decimal("9000"))]
    result_ = totals(IL, IL.rules_on(CRIME), lines)
    assert result_.claimed == Decimal("49000.00")
    assert result_.capped == Decimal("47500.00")
    assert result_.payable == Decimal("45000.00")
    assert len(result_.warnings) == 2


def test_the_appeal_window_counts_from_the_decision():
    rules = IL.rules_on(CRIME)
    assert appeal_deadline(rules, date(2024, 9, 1)) == date(2024, 10, 1)
    assert appeal_deadline(rules, None) is None
