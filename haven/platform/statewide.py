"""The statewide view: de-identified totals of every active agency for one federal quarter,
for the operator (a state's VOCA administrator running Haven for its agencies).

Each agency's numbers come from that agency's own report selectors (the PMT, the dashboard's
KPIs, caseloads, the program's counts), run as a system actor inside the agency's scope, so
each agency's access log records that its aggregates were read, and by whom. Nothing leaves
that is not a count, a sum, a share or a median; the rules (docs/reports.md, "The statewide
view"):

- a count of people or cases from 1 to 10 is shown as "<11" (SMALL_COUNT); where only one
  agency's count in a row is hidden, the next smallest is hidden too, so no subtraction from
  the total recovers it; 0 stays 0;
- a share or a median is shown only when it is computed over 11 or more cases or answers;
- volunteer hours are shown only where at least 3 volunteers gave them, so no one person's
  hours show.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from haven.agencies.models import Agency
from haven.audit.models import AuditAction
from haven.audit.services import audit_record
from haven.cases.selectors import caseworkers
from haven.consent.deidentify import suppress, suppress_table
from haven.core.actor import Actor
from haven.core.scoping import agency_scope, all_agencies
from haven.lib.quarters import Quarter
from haven.lib.spreadsheet import csv_writer
from haven.program.selectors import program_counts
from haven.reports.pmt import pmt_report
from haven.reports.selectors import Filters, dashboard

SMALL_COUNT = 11  # counts 1..10 are shown as "<11"
MIN_VOLUNTEERS = 3  # volunteer hours only where at least this many volunteers gave them
HIDDEN = "—"


@dataclass(frozen=True)
class Figure:
    key: str
    label: str
    kind: str  # "count" (suppressed), "rate" or "measure" (over a base), "hours"
    base: str = ""  # the count a rate or median is computed over
    group: str = ""


FIGURES = [
    Figure("individuals", "Individuals served", "count", group="PMT"),
    Figure("new_individuals", "New individuals served", "count", group="PMT"),
    Figure("received", "Cases received", "count", group="Key measures"),
    Figure("first_contact_median", "Median hours to first contact", "measure", "first_due"),
    Figure("first_contact_within", "First contact within goal (%)", "rate", "first_due"),
    Figure("resolution_median", "Median days to close a case", "measure", "closed"),
    Figure("satisfaction", "Victims satisfied (%)", "rate", "answers"),
    Figure("open_cases", "Open cases now", "count", group="Caseloads"),
    Figure("specialists", "Specialists holding cases", "count"),
    Figure("per_specialist", "Open cases per specialist", "measure", "open_cases"),
    Figure("activities", "Activities held", "count", group="Program"),
    Figure("trainings", "Trainings given", "count"),
    Figure("trained", "People trained (attendees)", "count"),
    Figure("volunteers", "Volunteers who gave hours", "count"),
    Figure("volunteer_hours", "Volunteer hours", "hours", "volunteers"),
]


def _agency_numbers(agency: Agency, quarter: Quarter, label: str, now: datetime) -> dict:
    """One agency's raw numbers for the quarter, from its own selectors (each audits)."""
    with agency_scope(agency):
        actor = Actor.system(agency, label)
        pmt = pmt_report(actor, quarter)
        board = dashboard(actor, Filters(start=quarter.start, end=quarter.end), now=now)
        program = program_counts(actor, quarter.start, quarter.end)
        specialists = caseworkers(actor).count()
    open_cases = sum(n.value or 0 for _name, n in board.caseload)
    return {
        "individuals": pmt.individuals,
        "new_individuals": pmt.new_individuals,
        "received": board.received.value or 0,
        "first_contact_median": board.first_contact.median.value,
        "first_contact_within": board.first_contact.within_goal.value,
        "first_due": board.first_contact.base.value or 0,
        "resolution_median": board.resolution.median.value,
        "closed": board.resolution.base.value or 0,
        "satisfaction": board.satisfaction.value,
        "answers": board.satisfaction_answers.value or 0,
        "open_cases": open_cases,
        "specialists": specialists,
        "per_specialist": round(open_cases / specialists, 1) if specialists else None,
        "activities": program.activities,
        "trainings": program.kind("training").count,
        "trained": program.kind("training").attendees,
        "volunteers": program.volunteers,
        "volunteer_hours": program.volunteer_hours,
    }


@dataclass
class Row:
    figure: Figure
    cells: list[str]  # one per agency, as shown
    total: str


@dataclass
class Statewide:
    quarter: Quarter
    agencies: list[str]
    rows: list[Row] = field(default_factory=list)


def _shown_measure(value, base: int, fmt: str) -> str:
    if value is None or base < SMALL_COUNT:
        return HIDDEN
    return fmt.format(value)


def _row(figure: Figure, numbers: list[dict], total: dict) -> Row:
    if figure.kind == "count":
        counts = {str(i): n[figure.key] for i, n in enumerate(numbers)}
        shown = suppress_table(counts, threshold=SMALL_COUNT)
        cells = [str(shown[str(i)]) for i in range(len(numbers))]
        return Row(figure, cells, str(suppress(total[figure.key], threshold=SMALL_COUNT)))
    if figure.kind == "hours":
        return _hours_row(figure, numbers, total)
    fmt = "{:.0f}" if figure.kind == "rate" else "{:.1f}"
    cells = [_shown_measure(n[figure.key], n[figure.base], fmt) for n in numbers]
    return Row(figure, cells, _shown_measure(total.get(figure.key), total[figure.base], fmt))


def _hours_row(figure: Figure, numbers: list[dict], total: dict) -> Row:
    """Hours shown where at least MIN_VOLUNTEERS gave them; when one agency alone is hidden,
    the smallest other agency's hours are hidden too, so the total does not give it away."""

    def hidden(n: dict) -> bool:
        return n[figure.base] < MIN_VOLUNTEERS

    cells = [HIDDEN if hidden(n) else f"{n[figure.key]:,.2f}" for n in numbers]
    alone = [i for i, n in enumerate(numbers) if hidden(n) and n[figure.key]]
    shown = sorted((n[figure.key], i) for i, n in enumerate(numbers) if not hidden(n))
    if len(alone) == 1 and shown:
        cells[shown[0][1]] = HIDDEN
    total_text = HIDDEN if hidden(total) else f"{total[figure.key]:,.2f}"
    return Row(figure, cells, total_text)


def _totals(numbers: list[dict]) -> dict:
    """Sums across agencies; shares and medians across agencies are not sums: the statewide
    column gives the share weighted by the bases of the agencies whose own share is shown
    (a hidden one is left out, so no subtraction recovers it), and no statewide median
    (Haven keeps no person-level rows across agencies to take one from)."""
    summed = {
        key: sum((n[key] for n in numbers), Decimal(0) if key == "volunteer_hours" else 0)
        for key in numbers[0]
        if key not in ("first_contact_median", "first_contact_within", "resolution_median")
        and key not in ("satisfaction", "per_specialist")
    }
    for key, base in (("first_contact_within", "first_due"), ("satisfaction", "answers")):
        weighted = [
            (n[key], n[base]) for n in numbers if n[key] is not None and n[base] >= SMALL_COUNT
        ]
        over = sum(b for _v, b in weighted)
        summed[key] = sum(v * b for v, b in weighted) / over if over else None
        summed[base] = over
    specialists = summed["specialists"]
    summed["per_specialist"] = round(summed["open_cases"] / specialists, 1) if specialists else None
    return summed


def statewide(
    *, operator: AbstractBaseUser, quarter: Quarter, ip: str | None = None, export: bool = False
) -> Statewide:
    """Every active agency's de-identified totals for the quarter (the caller checked that the
    user is an operator). Audited: one event in the installation's chain naming the operator
    and the quarter, and each agency's own selectors audit their reads in its chain."""
    label = f"statewide view ({operator.get_username()})"
    now = timezone.now()
    with all_agencies():
        agencies = list(Agency.objects.filter(is_active=True).order_by("name"))
    numbers = [_agency_numbers(a, quarter, label, now) for a in agencies]
    result = Statewide(quarter, [a.name for a in agencies])
    if numbers:
        total = _totals(numbers)
        result.rows = [_row(figure, numbers, total) for figure in FIGURES]
    with transaction.atomic():
        audit_record(
            actor=None,
            action=AuditAction.STATEWIDE_EXPORT if export else AuditAction.STATEWIDE_VIEW,
            actor_label=operator.get_username(),
            ip=ip,
            details={"quarter": str(quarter), "agencies": [a.pk for a in agencies]},
        )
    return result


def statewide_csv(result: Statewide) -> str:
    out = io.StringIO()
    writer = csv_writer(out)
    writer.writerow(["quarter", "figure", *result.agencies, "all agencies"])
    for row in result.rows:
        writer.writerow([str(result.quarter), row.figure.label, *row.cells, row.total])
    return out.getvalue()
