"""Outreach rules on real rows of the shipped samples (haven/incidents/tests/data/README.md),
dated into the last days as a nightly import would read them: rules on offense descriptions and
department codes for exports with no domestic-violence flag, and the export's age (or age group)
reaching the person the rule adds."""

import csv
import io
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from haven.cases.models import Case, CaseSource
from haven.core.scoping import agency_scope
from haven.incidents.tests.conftest import sample
from haven.outreach.models import OutreachDecision, OutreachRule
from haven.outreach.services import RuleData, outreach_rule_save
from haven.reports.pmt import _age_on

pytestmark = pytest.mark.django_db

ROWS = 600  # the first rows of each sample: every kind the tests look for is among them


def recent(name: str, column: str, fmt: str, *, rows: int = ROWS) -> tuple[str, list[dict]]:
    """The first rows of a real sample with `column` set to two days ago (`fmt`), as text,
    and the rows as read."""
    with open(sample(name), encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        kept = [r for _, r in zip(range(rows), reader, strict=False)]
        header = reader.fieldnames
    when = (timezone.localtime() - timedelta(days=2)).strftime(fmt)
    for r in kept:
        r[column] = when
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header, lineterminator="\n")
    writer.writeheader()
    writer.writerows(kept)
    return out.getvalue(), kept


def make_rule(cast, cora, **fields) -> None:
    data = RuleData(name="From the descriptions", victimization="domestic_violence")
    for key, value in fields.items():
        setattr(data, key, value)
    with agency_scope(cast.agency_a):
        outreach_rule_save(actor=cora, data=data)


def opened(cast) -> list[Case]:
    with agency_scope(cast.agency_a):
        return list(
            Case.objects.filter(source=CaseSource.RECORDS_OUTREACH)
            .exclude(pk=cast.case_a.pk)
            .select_related("primary_victim")
            .order_by("report_number")
        )


def test_a_description_rule_opens_chicago_domestic_reports_without_the_flag(cast, cora, run_import):
    text, rows = recent("chicago-real.csv", "Date", "%m/%d/%Y %I:%M:%S %p")
    make_rule(cast, cora, description_contains=["domestic"])  # any case

    run_import(cast.agency_a, "chicago", text)

    # "DOMESTIC BATTERY SIMPLE", "AGGRAVATED DOMESTIC BATTERY: ...": in the Description column,
    # which the profile joins to the Primary Type. The Domestic flag plays no part.
    expected = {r["Case Number"] for r in rows if "DOMESTIC" in r["Description"]}
    assert len(expected) > 20
    assert {c.report_number for c in opened(cast)} == expected
    flagged_elsewhere = {
        r["Case Number"] for r in rows if r["Domestic"] == "true"
    } - expected  # e.g. a simple battery flagged domestic: a description rule does not see it
    assert flagged_elsewhere


def test_a_description_pattern_and_a_department_code_open_lapd_intimate_partner_reports(
    cast, cora, run_import
):
    text, rows = recent("lapd-real.csv", "Date Rptd", "%m/%d/%Y %I:%M:%S %p")
    # The profile's own DV flag is not used: the rules read the crime descriptions and codes.
    make_rule(cast, cora, description_regex=r"intimate\s+partner")
    make_rule(cast, cora, name="Restraining orders", offense_codes=["90*"])  # 900-902

    run_import(cast.agency_a, "lapd", text)

    def has_victim(r):
        return r["Vict Sex"] in ("F", "M") or r["Vict Age"] not in ("0", "")

    partner = {r["DR_NO"] for r in rows if "INTIMATE PARTNER" in r["Crm Cd Desc"] and has_victim(r)}
    orders = {
        r["DR_NO"]
        for r in rows
        if has_victim(r)
        and any(r[c].startswith("90") and len(r[c]) == 3 for c in ("Crm Cd", "Crm Cd 2"))
    }
    assert len(partner) > 10 and orders
    cases = opened(cast)
    assert {c.report_number for c in cases} == partner | orders
    # (c) The victim's age in the export reaches the person the rule adds, and so the PMT band.
    by_number = {r["DR_NO"]: r for r in rows}
    for case in cases:
        person, row = case.primary_victim, by_number[case.report_number]
        age = int(row["Vict Age"]) if row["Vict Age"] not in ("0", "-1", "") else None
        assert (person.age_reported, person.age_band) == (age, "")
    adults = [c.primary_victim for c in cases if c.primary_victim.age_reported]
    assert {_age_on(timezone.localdate(), None, p.age_reported, p.age_band) for p in adults} >= {
        "25-59"
    }


def test_an_age_group_of_the_export_reaches_the_person_as_its_pmt_band(cast, cora, run_import):
    text, rows = recent("nypd-shootings-real.csv", "OCCUR_DATE", "%m/%d/%Y", rows=200)
    make_rule(cast, cora, nibrs_codes=["13A", "09A"], victimization="adult_physical_assault")

    run_import(cast.agency_a, "nypd-shootings", text)

    with agency_scope(cast.agency_a):
        decisions = OutreachDecision.objects.select_related("incident_person__person")
        bands = {}
        for d in decisions:
            group = d.incident_person.age_band
            bands.setdefault(group, set()).add(d.incident_person.person.age_band)
    # 18-24 is a PMT band; 25-44 lies inside 25-59; "<18" and "45-64" cross a band: blank on
    # the person (and "not reported" in the PMT report), never a guess.
    assert bands["18-24"] == {"18-24"}
    assert bands["25-59"] == {"25-59"}
    assert bands["unknown"] == {""}
    person = next(d.incident_person.person for d in decisions if d.incident_person.age_band)
    assert person.age_reported is None and person.date_of_birth is None
    assert _age_on(timezone.localdate(), None, None, "18-24") == "18-24"
    assert _age_on(timezone.localdate(), None, None, "") == "not_reported"


@pytest.mark.parametrize(
    ("pattern", "message"),
    [
        ("DOMESTIC(", "missing ), unterminated subpattern, at character 9"),
        ("*PARTNER", "nothing to repeat, at character 1"),
    ],
)
def test_a_description_pattern_that_is_not_a_regular_expression_is_refused_clearly(
    cast, cora, pattern, message
):
    with pytest.raises(ValidationError) as raised:
        make_rule(cast, cora, description_regex=pattern)

    [text] = raised.value.message_dict["description_regex"]
    assert message in text and "DOMESTIC|INTIMATE PARTNER" in text


def test_the_rule_form_takes_description_texts_and_refuses_a_broken_pattern(client, cast):
    client.force_login(cast.coordinator.user)
    form = {
        "name": "Domestic, from the descriptions",
        "is_active": "on",
        "position": "5",
        "description_contains": "DOMESTIC, intimate partner",
        "description_regex": "RESTRAINING (ORDER",
        "max_report_age_days": "14",
        "victimization": "domestic_violence",
        "priority": "normal",
        "route": "district",
        "minors": "guardian",
    }

    refused = client.post("/agency/outreach-rules/new/", form)
    assert refused.status_code == 400
    assert "This is not a regular expression (missing ), unterminated subpattern" in (
        refused.content.decode()
    )
    assert not OutreachRule.objects.filter(agency=cast.agency_a).exists()

    saved = client.post(
        "/agency/outreach-rules/new/", form | {"description_regex": r"RESTRAINING\s+ORDER"}
    )
    assert saved.status_code == 302
    rule = OutreachRule.objects.get(agency=cast.agency_a)
    assert (rule.description_contains, rule.description_regex) == (
        ["DOMESTIC", "intimate partner"],
        r"RESTRAINING\s+ORDER",
    )
    listed = client.get("/agency/outreach-rules/").content.decode()
    assert "descriptions containing “DOMESTIC”, “intimate partner”" in listed
