"""The per-grant report: one funding source, one federal fiscal quarter (like the PMT's).

Counting rules (docs/reports.md, "Per-grant report"), in short:

- individuals served: people who received at least one service tagged to the source in the
  quarter (a disbursed emergency assistance request is such a service: PMT C7);
- services by PMT category: the PMT's service rows over those services only;
- staff hours: for each weekday of the quarter inside the award period, 8 hours times each
  member's percent for the source in the time split in effect that day (funding.selectors);
- activities: trainings and events tagged to the source (the program app; 0 until it exists);
- assistance spent: requests disbursed from the source's fund in the quarter, and their sum.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from haven.agencies.roles import Perm
from haven.core.actor import Actor
from haven.funding import selectors as funding
from haven.funding.models import FundingSource
from haven.lib.spreadsheet import csv_writer, safe_row
from haven.program.selectors import activities_for_funding_source
from haven.reports.pmt import PmtRow, Quarter, pmt_report


@dataclass
class GrantReport:
    agency_name: str
    source: FundingSource
    quarter: Quarter
    individuals: int
    new_individuals: int
    staff_hours: Decimal
    activities: int
    requests_paid: int
    assistance_spent: Decimal
    fund_balance: Decimal | None
    services: list[PmtRow] = field(default_factory=list)

    @property
    def summary(self) -> list[tuple[str, str, object]]:
        return [
            ("individuals", "Individuals served (services tagged to the source)", self.individuals),
            (
                "new",
                "New individuals (first served under it this FFY)",
                self.new_individuals,
            ),
            ("staff_hours", "Staff hours (time splits × 8 h per weekday)", self.staff_hours),
            ("activities", "Activities (trainings, events)", self.activities),
            ("requests_paid", "Emergency assistance requests paid", self.requests_paid),
            ("assistance_spent", "Emergency assistance spent ($)", self.assistance_spent),
            ("fund_balance", "Emergency fund balance now ($)", self.fund_balance),
        ]


def activities_count(actor: Actor, source: FundingSource, start: date, end: date) -> int:
    """Activities outside cases (trainings, outreach events, partner meetings, case reviews)
    tagged to the source in the period, counted as the program app counts them."""
    return activities_for_funding_source(actor, source, start, end).activities


def _moment(day: date, tz) -> datetime:
    return datetime.combine(day, time.min, tzinfo=tz)


def grant_report(actor: Actor, source: FundingSource, quarter: Quarter) -> GrantReport:
    """The quarter's report for one funding source of the actor's agency (reports.aggregates);
    aggregates only."""
    actor.require(Perm.AGGREGATES_VIEW)
    actor.require_own(source)
    pmt = pmt_report(actor, quarter, source=source)
    tz = actor.agency.tz
    start, end = quarter.start, quarter.end
    hours_from, hours_to = max(start, source.period_start), min(end, source.period_end)
    hours = (
        funding.staff_hours(actor.agency, source, hours_from, hours_to)
        if hours_from <= hours_to
        else Decimal("0.00")
    )
    paid, spent = funding.assistance_spent(
        actor.agency, source, _moment(start, tz), _moment(end + timedelta(days=1), tz)
    )
    fund = funding.funds_for(actor.agency).filter(source=source).first()
    return GrantReport(
        agency_name=actor.agency.name,
        source=source,
        quarter=quarter,
        individuals=pmt.individuals,
        new_individuals=pmt.new_individuals,
        staff_hours=hours,
        activities=activities_count(actor, source, start, end),
        requests_paid=paid,
        assistance_spent=spent,
        fund_balance=fund.balance if fund else None,
        services=pmt.sections["Services"],
    )


def _heading(report: GrantReport) -> list[list]:
    source = report.source
    return [
        ["agency", report.agency_name],
        ["funding source", source.name, source.get_kind_display(), source.award_number],
        ["award period", source.period_start.isoformat(), source.period_end.isoformat()],
        ["quarter", str(report.quarter), report.quarter.label],
    ]


def grant_csv(report: GrantReport) -> bytes:
    buffer = io.StringIO()
    writer = csv_writer(buffer)
    writer.writerows(_heading(report))
    writer.writerow(["measure", "label", "value"])
    for code, label, value in report.summary:
        writer.writerow([code, label, "" if value is None else value])
    writer.writerow(["code", "service", "individuals", "times provided"])
    for row in report.services:
        writer.writerow([row.code, row.label, row.individuals, row.times])
    return buffer.getvalue().encode("utf-8-sig")


def grant_xlsx(report: GrantReport) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = f"Grant {report.quarter}"
    for row in _heading(report):
        sheet.append(safe_row(row))
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([])
    sheet.append(["measure", "label", "value"])
    for code, label, value in report.summary:
        sheet.append(safe_row([code, label, float(value) if isinstance(value, Decimal) else value]))
    sheet.append([])
    sheet.append(["code", "service", "individuals", "times provided"])
    for row in report.services:
        sheet.append(safe_row([row.code, row.label, row.individuals, row.times]))
    sheet.column_dimensions["A"].width = 16
    sheet.column_dimensions["B"].width = 60
    sheet.column_dimensions["C"].width = 14
    sheet.column_dimensions["D"].width = 15
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
