"""The PMT quarterly report's counting rules, on hand-built data whose answer is known.

The quarter is federal fiscal 2026Q3: April 1 to June 30, 2026 (agency time, Chicago)."""

import csv
import io
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from haven.assistance.services import service_provide, service_remove
from haven.audit.models import AuditAction
from haven.cases.models import CaseSource
from haven.cases.services import case_add_person, case_open
from haven.core.actor import Actor
from haven.people.services import person_create
from haven.reports.pmt import Quarter, pmt_report

CHI = ZoneInfo("America/Chicago")


def at(y, m, d, h=12):
    return datetime(y, m, d, h, tzinfo=CHI)


def open_case(actor, victim, received, codes):
    return case_open(
        actor=actor,
        victim=victim,
        source=CaseSource.HOTLINE,
        received_at=received,
        victimizations=codes,
    )


@pytest.fixture
def quarter_data(cast, sam):
    """P1 continuing (served in Jan and in Q3); P2 new, on two cases, three victimization
    types; P3 a secondary victim (child) on P2's case; P4 served last fiscal year and again
    now (new this year); P5's only service removed; P6 served in July (next quarter)."""
    people = {}

    def person(key, **fields):
        people[key] = person_create(actor=sam, first_name=key, last_name="Test", **fields)
        return people[key]

    p1 = person("P1", race_ethnicity="white", gender_identity="male")
    c1 = open_case(sam, p1, at(2025, 12, 1), ["domestic_violence"])
    service_provide(actor=sam, case=c1, sub_service="A1", provided_at=at(2026, 1, 15))
    service_provide(actor=sam, case=c1, sub_service="A1", provided_at=at(2026, 5, 5))
    service_provide(actor=sam, case=c1, sub_service="A1", provided_at=at(2026, 5, 6))
    service_provide(actor=sam, case=c1, sub_service="C1", provided_at=at(2026, 5, 6))

    p2 = person(
        "P2",
        race_ethnicity="black",
        gender_identity="female",
        date_of_birth=date(2000, 5, 1),
        special_classifications=["lep", "immigrant"],
    )
    c2 = open_case(sam, p2, at(2026, 4, 2), ["stalking", "domestic_violence"])
    service_provide(actor=sam, case=c2, sub_service="B4", provided_at=at(2026, 5, 10))
    service_provide(actor=sam, case=c2, sub_service="E1", provided_at=at(2026, 6, 1))
    c3 = open_case(sam, p2, at(2026, 6, 1), ["robbery"])
    service_provide(actor=sam, case=c3, sub_service="A3", provided_at=at(2026, 6, 2))

    p3 = person("P3", date_of_birth=date(2015, 3, 3))
    case_add_person(actor=sam, case=c2, person=p3, relation="child")
    service_provide(actor=sam, case=c2, person=p3, sub_service="E1", provided_at=at(2026, 5, 11))

    p4 = person("P4", race_ethnicity="hispanic", gender_identity="female", age_reported=67)
    c4 = open_case(sam, p4, at(2025, 8, 1), ["elder_abuse"])
    service_provide(actor=sam, case=c4, sub_service="A2", provided_at=at(2025, 9, 15))
    service_provide(actor=sam, case=c4, sub_service="A2", provided_at=at(2026, 4, 1, 0))

    p5 = person("P5")
    c5 = open_case(sam, p5, at(2026, 4, 20), ["burglary"])
    removed = service_provide(actor=sam, case=c5, sub_service="A1", provided_at=at(2026, 4, 21))
    service_remove(actor=sam, service=removed, reason="Entered on the wrong case")

    p6 = person("P6")
    c6 = open_case(sam, p6, at(2026, 6, 30), ["arson"])
    service_provide(actor=sam, case=c6, sub_service="A1", provided_at=at(2026, 7, 1, 0))
    return people


def rows_of(report, section):
    return {row.code: row for row in report.sections[section]}


def test_a_quarter_is_a_federal_fiscal_quarter():
    assert (Quarter.parse("2026Q3").start, Quarter.parse("2026Q3").end) == (
        date(2026, 4, 1),
        date(2026, 6, 30),
    )
    assert (Quarter.parse("FY2026Q1").start, Quarter.parse("fy2026q1").end) == (
        date(2025, 10, 1),
        date(2025, 12, 31),
    )
    assert Quarter.parse("2026Q4").end == date(2026, 9, 30)
    assert Quarter.containing(date(2025, 11, 5)) == Quarter(2026, 1)
    assert Quarter.containing(date(2026, 9, 30)) == Quarter(2026, 4)
    with pytest.raises(ValidationError):
        Quarter.parse("2026-07")


def test_each_individual_counts_once_and_new_means_first_served_this_fiscal_year(quarter_data, sam):
    report = pmt_report(sam, Quarter(2026, 3))

    # P1, P2 (two cases), P3 (secondary victim), P4; not P5 (removed) nor P6 (July).
    assert report.individuals == 4
    # P2, P3 and P4 (served last fiscal year, first time this one); P1 was served in January.
    assert report.new_individuals == 3
    assert report.continuing_individuals == 1


def test_demographics_count_the_new_individuals_and_each_block_adds_up(quarter_data, sam):
    report = pmt_report(sam, Quarter(2026, 3))

    race = rows_of(report, "Race/ethnicity (new individuals)")
    gender = rows_of(report, "Gender identity (new individuals)")
    age = rows_of(report, "Age (new individuals)")
    assert (race["black"].individuals, race["hispanic"].individuals) == (1, 1)
    assert race["not_reported"].individuals == 1  # P3
    assert race["white"].individuals == 0  # P1 is continuing, not new
    assert (gender["female"].individuals, gender["not_reported"].individuals) == (2, 1)
    # P2 is 25 on April 1, 2026; P3 is 11; P4 gave an age of 67.
    assert (age["25-59"].individuals, age["0-12"].individuals, age["60+"].individuals) == (
        1,
        1,
        1,
    )
    for block in (race, gender, age):
        assert sum(row.individuals for row in block.values()) == report.new_individuals
    special = rows_of(report, "Special classifications (new individuals)")
    assert (special["lep"].individuals, special["immigrant"].individuals) == (1, 1)


def test_victimization_types_are_per_individual_across_their_cases(quarter_data, sam):
    report = pmt_report(sam, Quarter(2026, 3))

    types = rows_of(report, "Victimization types (new individuals)")
    assert types["stalking"].individuals == 2  # P2 and P3 (the secondary victim on P2's case)
    assert types["domestic_violence"].individuals == 2  # P1 is not new
    assert types["robbery"].individuals == 1  # P2's second case
    assert types["elder_abuse"].individuals == 1
    assert types["burglary"].individuals == 0  # P5's only service was removed
    assert types["multiple"].individuals == 2  # P2 (three types), P3 (two)


def test_services_count_times_and_individuals(quarter_data, sam):
    report = pmt_report(sam, Quarter(2026, 3))

    services = rows_of(report, "Services")
    assert (services["A1"].times, services["A1"].individuals) == (2, 1)  # P1 twice in May
    assert (services["E1"].times, services["E1"].individuals) == (2, 2)  # P2 and P3
    assert (services["A"].individuals, services["A"].times) == (3, 4)  # P1, P2 (A3), P4 (A2)
    assert services["D1"].times == 0
    assert "narrative_challenges" in rows_of(report, "Narrative")


def test_the_command_writes_csv_and_xlsx_by_extension(quarter_data, tmp_path, cast):
    csv_path, xlsx_path = tmp_path / "pmt.csv", tmp_path / "pmt.xlsx"

    call_command("pmt_report", agency="riverside", quarter="2026Q3", out=str(csv_path))
    call_command("pmt_report", agency="riverside", quarter="2026Q3", out=str(xlsx_path))

    rows = list(csv.reader(io.StringIO(csv_path.read_text(encoding="utf-8-sig"))))
    by_code = {(r[0], r[1]): r for r in rows[3:]}
    assert by_code[("Individuals served", "individuals")][3] == "4"
    assert by_code[("Individuals served", "new")][3] == "3"
    assert by_code[("Services", "E1")][3:] == ["2", "2"]
    sheet = load_workbook(xlsx_path).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert ["new", "New individuals (first served this FFY)", 3, None] in values
    assert ["E1", "Notification of criminal justice events", 2, 2] in values
    from haven.audit.models import AuditEvent

    assert AuditEvent.objects.filter(action=AuditAction.PMT_REPORT, object_id="2026Q3").count() == 2


def test_the_command_refuses_an_unclear_quarter_or_format(cast, tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="2026Q3"):
        call_command(
            "pmt_report", agency="riverside", quarter="2026-3", out=str(tmp_path / "a.csv")
        )
    with pytest.raises(CommandError, match=".csv or .xlsx"):
        call_command(
            "pmt_report", agency="riverside", quarter="2026Q3", out=str(tmp_path / "a.pdf")
        )


def test_the_dashboard_downloads_the_report_and_audits_it(
    quarter_data, client_as, new_audit_events
):
    response = client_as("analyst").get(
        reverse("reports:pmt"), {"quarter": "2026Q3", "format": "csv"}
    )

    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="pmt-riverside-2026Q3.csv"'
    text = response.content.decode("utf-8-sig")
    assert "Individuals who received services,4" in text
    assert "Test" not in text  # no names
    assert [e.details["format"] for e in new_audit_events(action=AuditAction.PMT_REPORT)] == ["csv"]


def test_advocates_and_officers_cannot_download_it(client_as):
    for role in ("advocate", "officer"):
        response = client_as(role).get(
            reverse("reports:pmt"), {"quarter": "2026Q3", "format": "csv"}
        )
        assert response.status_code == 403


def test_another_agencys_services_never_count(quarter_data, cast):
    lakeside = Actor.system(cast.agency_b, "test")
    assert pmt_report(lakeside, Quarter(2026, 3)).individuals == 0


def test_the_service_counts_agree_with_the_assistance_selector(quarter_data, sam):
    from haven.assistance.selectors import services_by_category

    report = pmt_report(sam, Quarter(2026, 3))
    counts = services_by_category(sam, date(2026, 4, 1), date(2026, 6, 30))

    rows = rows_of(report, "Services")
    for category in counts.categories:
        assert (rows[category.code].individuals, rows[category.code].times) == (
            category.individuals,
            category.times,
        )
        for sub in category.sub_services:
            assert (rows[sub.code].individuals, rows[sub.code].times) == (
                sub.individuals,
                sub.times,
            )
    assert counts.individuals == report.individuals
