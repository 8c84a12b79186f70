import json
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ImproperlyConfigured

from haven.compensation.programs import HERE, load, program, program_codes


def test_illinois_is_a_program_and_loads():
    assert "illinois" in program_codes()
    prog = program("illinois")
    assert prog.statute.startswith("Crime Victims Compensation Act")
    assert "funeral" in prog.categories and prog.categories["funeral"].cap == "funeral_burial"
    assert "sex_offense" in prog.sex_offenses


@pytest.mark.parametrize(
    ("crime_date", "maximum", "years", "provider", "incarceration"),
    [
        (date(2019, 12, 31), "27000.00", 2, False, False),
        (date(2021, 12, 31), "27000.00", 5, False, False),  # still open on Jan 1, 2022
        (date(2022, 1, 1), "27000.00", 5, False, False),
        (date(2022, 8, 6), "27000.00", 5, False, False),
        (date(2022, 8, 7), "45000.00", 5, False, False),
        (date(2024, 12, 31), "45000.00", 5, False, False),
        (date(2025, 1, 1), "45000.00", 5, True, True),
    ],
)
def test_the_crime_date_picks_the_rules_then_in_force(
    crime_date, maximum, years, provider, incarceration
):
    rules = program("illinois").rules_on(crime_date)
    assert rules.maximum_award == Decimal(maximum)
    assert rules.filing_years_from_crime == years
    assert rules.provider_notification is provider
    assert rules.incarceration_bars_award is incarceration
    assert rules.caps["funeral_burial"] == Decimal("7500.00")


def _write(tmp_path, **changes):
    data = json.loads((HERE / "illinois.json").read_text())
    data.update(changes)
    path = tmp_path / "illinois.json"
    path.write_text(json.dumps(data))
    return path


def test_a_program_file_with_a_float_amount_is_refused(tmp_path):
    data = json.loads((HERE / "illinois.json").read_text())
    data["base"]["rules"]["maximum_award"] = 27000.5
    with pytest.raises(ImproperlyConfigured, match="maximum_award must be str"):
        load(_write(tmp_path, base=data["base"]))


def test_a_cap_with_fractions_of_a_cent_is_refused(tmp_path):
    data = json.loads((HERE / "illinois.json").read_text())
    data["base"]["rules"]["caps"]["funeral_burial"] = "7500.005"
    with pytest.raises(ImproperlyConfigured, match="dollars and cents"):
        load(_write(tmp_path, base=data["base"]))


def test_changes_out_of_date_order_are_refused(tmp_path):
    data = json.loads((HERE / "illinois.json").read_text())
    data["changes"].reverse()
    with pytest.raises(ImproperlyConfigured, match="must be later"):
        load(_write(tmp_path, changes=data["changes"]))


def test_a_change_citing_no_source_is_refused(tmp_path):
    data = json.loads((HERE / "illinois.json").read_text())
    data["changes"][0]["source"] = "hearsay"
    with pytest.raises(ImproperlyConfigured, match="not in sources"):
        load(_write(tmp_path, changes=data["changes"]))


def test_a_category_needing_an_unknown_document_is_refused(tmp_path):
    data = json.loads((HERE / "illinois.json").read_text())
    data["categories"][0]["documents"].append("a_photo")
    with pytest.raises(ImproperlyConfigured, match="unknown document"):
        load(_write(tmp_path, categories=data["categories"]))


def test_an_unknown_rule_is_refused(tmp_path):
    data = json.loads((HERE / "illinois.json").read_text())
    data["changes"][0]["rules"]["filing_months"] = 3
    with pytest.raises(ImproperlyConfigured, match="unknown rules"):
        load(_write(tmp_path, changes=data["changes"]))


def test_an_unknown_program_is_refused():
    with pytest.raises(ImproperlyConfigured, match="No compensation program"):
        program("atlantis")
