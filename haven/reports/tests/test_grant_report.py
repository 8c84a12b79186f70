"""The per-grant report, the PMT and the dashboard by funding source, on hand-built rows whose
answer the test computes itself. The quarter is federal fiscal 2026Q3: April 1 to June 30,
2026 (agency time, Chicago)."""

import csv
import io
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from haven.assistance.services import service_provide, service_remove
from haven.cases.models import CaseSource
from haven.cases.services import case_open
from haven.funding.emergency import request_create, request_decide, request_disburse
from haven.funding.services import fund_deposit, funding_source_save, time_split_set
from haven.people.services import person_create
from haven.program.services import ActivityInput, activity_record
from haven.reports.figures import Filters
from haven.reports.grant import grant_report
from haven.reports.pmt import Quarter, pmt_report
from haven.reports.selectors import dashboard

pytestmark = pytest.mark.django_db
CHI = ZoneInfo("America/Chicago")
Q3 = Quarter(2026, 3)


def at(y, m, d, h=12):
    return datetime(y, m, d, h, tzinfo=CHI)


# What the fixture records, one row per service: (person, code, source, when, removed).
# The source None means "not given": the agency's default (VOCA) applies.
ROWS = [
    ("P1", "A1", "voca", at(2026, 5, 5), False),
    ("P1", "C1", "voca", at(2026, 5, 6), False),
    ("P1", "A1", "stop", at(2026, 5, 7), False),
    ("P2", "C1", "stop", at(2026, 4, 10), False),
    ("P2", "A1", None, at(2026, 6, 30, 23), False),  # last evening of the quarter
    ("P2", "E1", "voca", at(2026, 7, 1, 0), False),  # first minutes of the next
    ("P3", "A1", "voca", at(2026, 5, 1), True),  # removed: counts nowhere
    ("P4", "A1", "voca", at(2026, 3, 3), False),  # earlier this fiscal year
    ("P4", "A2", "voca", at(2026, 4, 3), False),  # so P4 continues under VOCA
]
# Emergency assistance on P2's case: (amount, disbursed at); each becomes a C7 under VOCA.
PAID = [("150.00", at(2026, 5, 20)), ("40.00", at(2026, 7, 2))]


@pytest.fixture
def grant_data(cast, sam, cora):
    sources = {
        "voca": funding_source_save(
            actor=cora,
            name="VOCA 2026",
            kind="voca",
            period_start=date(2025, 10, 1),
            period_end=date(2026, 9, 30),
            is_default=True,
        ),
        "stop": funding_source_save(
            actor=cora,
            name="VAWA STOP 2026",
            kind="vawa_stop",
            period_start=date(2026, 5, 1),
            period_end=date(2027, 4, 30),
        ),
    }
    cases = {}
    for key in ("P1", "P2", "P3", "P4"):
        victim = person_create(actor=sam, first_name=key, last_name="Test")
        cases[key] = case_open(
            actor=sam,
            victim=victim,
            source=CaseSource.HOTLINE,
            received_at=at(2026, 3, 1),
            victimizations=["domestic_violence"],
        )
    for key, code, source, when, removed in ROWS:
        service = service_provide(
            actor=sam,
            case=cases[key],
            sub_service=code,
            provided_at=when,
            funding_source=sources[source] if source else None,
        )
        if removed:
            service_remove(actor=sam, service=service, reason="wrong case")
    fund = fund_deposit(
        actor=cora, source=sources["voca"], amount=Decimal("1000"), deposited_on=date(2026, 4, 1)
    ).fund
    alice = cast.actor("advocate")
    for amount, when in PAID:
        with time_machine.travel(when, tick=False):
            found = request_create(
                actor=alice, case=cases["P2"], fund=fund, purpose="lodging", amount=Decimal(amount)
            )
            request_decide(actor=sam, request=found, approve=True)
            request_disburse(actor=sam, request=found)
    time_split_set(
        actor=cora,
        member=cast.advocate,
        effective_from=date(2026, 1, 1),
        lines=[(sources["voca"], Decimal("100"))],
    )
    time_split_set(
        actor=cora,
        member=cast.advocate2,
        effective_from=date(2026, 5, 1),
        lines=[(sources["voca"], Decimal("50")), (sources["stop"], Decimal("50"))],
    )
    # Trainings: two paid by VOCA in the quarter; one before it, one paid by nobody.
    for held_on, source in [
        (date(2026, 4, 20), sources["voca"]),
        (date(2026, 6, 2), sources["voca"]),
        (date(2026, 3, 30), sources["voca"]),
        (date(2026, 5, 5), None),
    ]:
        activity_record(
            actor=cora,
            data=ActivityInput(
                kind="training",
                topic="Trauma-informed response",
                held_on=held_on,
                hours=Decimal("2"),
                led_by=cast.advocate,
                audience="officers",
                attendees=20,
                funding_source=source,
            ),
        )
    return sources, cases


def expected(source_key):
    """The report's counts, computed from ROWS and PAID with no Haven code."""
    start, end = at(2026, 4, 1, 0), at(2026, 7, 1, 0)
    rows = [
        (person, code)
        for person, code, source, when, removed in ROWS
        if (source or "voca") == source_key and start <= when < end and not removed
    ]
    if source_key == "voca":
        rows += [("P2", "C7") for _, when in PAID if start <= when < end]
    earlier = {
        person
        for person, _, source, when, removed in ROWS
        if (source or "voca") == source_key and when < start and not removed
    }
    by_category = {}
    for person, code in rows:
        people, times = by_category.get(code[0], (set(), 0))
        by_category[code[0]] = (people | {person}, times + 1)
    served = {person for person, _ in rows}
    return served, served - earlier, by_category


def weekdays(first: date, last: date) -> int:
    return sum(1 for n in range((last - first).days + 1) if (first + timedelta(n)).weekday() < 5)


@pytest.mark.parametrize("key", ["voca", "stop"])
def test_the_grant_report_counts_what_the_test_counts_itself(cast, cora, grant_data, key):
    sources, _ = grant_data
    served, new, by_category = expected(key)

    report = grant_report(cora, sources[key], Q3)

    assert report.individuals == len(served) and report.new_individuals == len(new)
    categories = {row.code: (row.individuals, row.times) for row in report.services}
    for code in "ABCDE":
        people, times = by_category.get(code, (set(), 0))
        assert categories[code] == (len(people), times), code
    assert report.activities == {"voca": 2, "stop": 0}[key]  # grant_data's trainings


def test_the_figures_the_fixture_was_built_for(cora, grant_data):
    """The same answers written out, so a mistake in expected() cannot hide one in Haven."""
    sources, _ = grant_data
    voca = grant_report(cora, sources["voca"], Q3)
    assert (voca.individuals, voca.new_individuals) == (3, 2)  # P1, P2 new; P4 continuing
    rows = {row.code: (row.individuals, row.times) for row in voca.services}
    assert rows["A"] == (3, 3) and rows["C"] == (2, 2) and rows["C7"] == (1, 1)
    assert rows["E"] == (0, 0)
    assert (voca.requests_paid, voca.assistance_spent) == (1, Decimal("150.00"))
    assert voca.fund_balance == Decimal("810.00")


def test_staff_hours_are_the_time_splits_over_the_quarters_weekdays(cora, grant_data):
    sources, _ = grant_data
    april_to_june = weekdays(date(2026, 4, 1), date(2026, 6, 30))
    may_june = weekdays(date(2026, 5, 1), date(2026, 6, 30))
    assert (april_to_june, may_june) == (65, 43)
    # VOCA: Alice 100 % all quarter, Bob 50 % from May 1. STOP: Bob 50 % (its award starts
    # May 1 too, so no hours before it would count anyway).
    assert grant_report(cora, sources["voca"], Q3).staff_hours == Decimal(8 * 65 + 4 * 43)
    assert grant_report(cora, sources["stop"], Q3).staff_hours == Decimal(4 * 43)


def test_the_pmt_by_source_counts_only_services_tagged_to_it(cora, grant_data):
    sources, _ = grant_data
    everything = pmt_report(cora, Q3)
    stop = pmt_report(cora, Q3, source=sources["stop"])
    assert everything.individuals == 3 and stop.individuals == 2
    assert {r.code: r.times for r in stop.sections["Services"]}["A1"] == 1


def test_the_dashboard_by_source_counts_only_cases_with_a_service_tagged_to_it(
    cast, cora, grant_data
):
    sources, _ = grant_data
    period = Filters(start=date(2026, 3, 1), end=date(2026, 3, 31))
    assert dashboard(cora, period).received.value == 4
    stop = Filters(start=period.start, end=period.end, funding_source_id=sources["stop"].pk)
    assert dashboard(cora, stop).received.value == 2  # P1's and P2's cases


def test_the_grant_report_downloads_as_csv_and_xlsx_with_cells_neutralized(
    client_as, cast, cora, grant_data, new_audit_events
):
    sources, _ = grant_data
    funding_source_save(
        actor=cora,
        source=sources["stop"],
        name="=HYPERLINK(1)",
        kind="vawa_stop",
        period_start=date(2026, 5, 1),
        period_end=date(2027, 4, 30),
    )
    client = client_as("analyst")
    url = reverse("reports:grant")
    query = {"funding_source": sources["stop"].pk, "quarter": "2026Q3"}
    response = client.get(url, query | {"format": "csv"})
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[1][1] == "'=HYPERLINK(1)"
    assert ["individuals", "Individuals served (services tagged to the source)", "2"] in rows

    response = client.get(url, query | {"format": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [row[:3] for row in sheet.iter_rows(values_only=True)]
    assert values[1][1] == "'=HYPERLINK(1)"
    assert ("staff_hours", "Staff hours (time splits × 8 h per weekday)", 172) in values
    assert len(new_audit_events(action="reports.grant")) == 2


def test_another_agencys_source_is_404_on_the_report(client_as, cast, grant_data):
    sources, _ = grant_data
    response = client_as("other_advocate").get(
        reverse("reports:grant"), {"funding_source": sources["voca"].pk, "quarter": "2026Q3"}
    )
    assert response.status_code == 403  # an advocate has no aggregates at all
    response = client_as("analyst").get(
        reverse("reports:grant"),
        {"funding_source": sources["voca"].pk + 999, "quarter": "2026Q3", "format": "csv"},
    )
    assert response.status_code == 302  # not a choice of this agency: refused on the form
