"""One neutralizer for every spreadsheet Haven writes (haven/lib/spreadsheet.py), and each
export tried with a cell a spreadsheet would run."""

import csv
import io
import zipfile

import pytest
from openpyxl import load_workbook

from haven.agencies.models import Agency
from haven.core.actor import Actor
from haven.lib.spreadsheet import csv_writer, safe_cell

ATTACKS = [
    '=HYPERLINK("http://evil.example","click")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(A1:A2)",
    "\t=1+1",
    "\r=1+1",
    ' =HYPERLINK("x")',
    '\n=HYPERLINK("x")',
    "  \n @SUM(1)",
]


@pytest.mark.parametrize("attack", ATTACKS)
def test_a_cell_a_spreadsheet_would_run_is_written_as_text(attack):
    assert safe_cell(attack) == "'" + attack


@pytest.mark.parametrize("value", ["Dana Reyes", "2026-000001", "O'Neil", "a=b", "", " plain"])
def test_ordinary_text_is_left_alone(value):
    assert safe_cell(value) == value


@pytest.mark.parametrize("value", [None, 3, -4, 2.5])
def test_numbers_and_empty_cells_pass_as_they_are(value):
    assert safe_cell(value) == value


def test_the_writer_neutralizes_every_cell():
    out = io.StringIO()
    csv_writer(out).writerows([["=1", "ok"], [" @x", 5]])
    assert list(csv.reader(io.StringIO(out.getvalue()))) == [["'=1", "ok"], ["' @x", "5"]]


@pytest.mark.django_db
def test_the_case_export_neutralizes_a_name_behind_spaces_and_line_feeds(cast):
    from haven.cases.selectors import CaseFilters
    from haven.consent.case_export import case_list_csv

    user = cast.advocate.user
    user.first_name, user.last_name = '\n =HYPERLINK("http://evil.example")', ""
    user.save()
    sam = cast.actor("supervisor")

    text, count = case_list_csv(actor=sam, filters=CaseFilters(), reason="grant report")

    rows = list(csv.DictReader(io.StringIO(text)))
    assert count == 1
    assert rows[0]["specialist"].startswith("'=HYPERLINK")  # the full name is stripped


@pytest.mark.django_db
def test_the_hsds_export_neutralizes_an_organization_name(cast):
    from haven.partners import hsds
    from haven.partners.services import organization_save

    actor = Actor.system(cast.agency_a, "test")
    organization_save(actor=actor, name='=HYPERLINK("http://evil.example","Shelter")')

    data = hsds.hsds_export(actor=Actor.system(cast.agency_a, "test"))

    archive = zipfile.ZipFile(io.BytesIO(data))
    rows = list(csv.DictReader(io.StringIO(archive.read("organization.csv").decode())))
    assert [r["name"] for r in rows] == ['\'=HYPERLINK("http://evil.example","Shelter")']


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_pmt_report_neutralizes_the_agency_name(cast, fmt):
    from haven.reports.pmt import Quarter, pmt_csv, pmt_report, pmt_xlsx

    Agency.objects.filter(pk=cast.agency_a.pk).update(name="=cmd|' /C calc'!A0")
    cast.supervisor.agency.refresh_from_db()
    report = pmt_report(cast.actor("supervisor"), Quarter(2026, 3))
    assert report.agency_name == "=cmd|' /C calc'!A0"

    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(pmt_csv(report).decode("utf-8-sig"))))
        first = rows[0][1]
    else:
        first = load_workbook(io.BytesIO(pmt_xlsx(report))).active["A1"].value
    assert first == "'=cmd|' /C calc'!A0"
