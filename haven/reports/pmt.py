"""The OVC PMT quarterly report (VOCA victim assistance) of one agency: counts only.

Quarters are federal fiscal quarters: "2026Q3" is the third quarter of federal fiscal year
2026, April 1 to June 30, 2026; "2026Q1" is October 1 to December 31, 2025. The counting rules
are written out, with examples, in docs/reports.md; in short:

- an individual is a person who received at least one service (not removed) in the quarter,
  counted once however many services and cases;
- a new individual is one served in the quarter and not earlier in the same federal fiscal
  year (the first quarter of the year they were served);
- demographics, victimization types and special classifications are counted over the new
  individuals only, so each demographic block adds up to the number of new individuals;
- services: for each category the individuals who received any of its services, for each
  sub-service the number of times it was provided and the individuals who received it.
"""

from __future__ import annotations

import io
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.db.models import Count

from haven.agencies.roles import Perm
from haven.assistance import catalog
from haven.assistance.models import ServiceProvided
from haven.cases.models import CaseVictimization
from haven.core.actor import Actor
from haven.crisis.selectors import anonymous_contact_count
from haven.followup.models import PMT_SERVICE, FollowUp, FollowUpOutcome
from haven.funding.models import FundingSource
from haven.lib.quarters import QUARTER_RE, Quarter  # noqa: F401 (read from here too)
from haven.lib.reference import age_band, load
from haven.lib.spreadsheet import csv_writer, safe_row
from haven.people.models import Person
from haven.reports.models import PmtSnapshot

NOT_REPORTED = "not_reported"
NOT_TRACKED = "not_tracked"


@dataclass
class PmtRow:
    section: str
    code: str
    label: str
    individuals: int | None = None
    times: int | None = None


@dataclass
class PmtReport:
    agency_name: str
    quarter: Quarter
    individuals: int
    new_individuals: int
    continuing_individuals: int
    sections: dict[str, list[PmtRow]] = field(default_factory=dict)
    source_name: str = ""  # the funding source the report is restricted to; "" for all
    frozen_at: datetime | None = None  # set when read from a PmtSnapshot (docs/retention.md)

    @property
    def rows(self) -> list[PmtRow]:
        return [row for rows in self.sections.values() for row in rows]


# The PMT asks its narrative questions in words; Haven leaves room for the grant manager's own.
NARRATIVE = [
    ("narrative_challenges", "Describe any challenges in serving victims this quarter."),
    ("narrative_success", "Describe a notable accomplishment or a success story (no names)."),
    ("narrative_other", "Anything else the funder should know about this quarter's numbers."),
]


def _moment(day: date, tz) -> datetime:
    return datetime.combine(day, time.min, tzinfo=tz)


def _age_on(day: date, born: date | None, reported: int | None, band: str = "") -> str:
    if born is not None:
        years = day.year - born.year - ((day.month, day.day) < (born.month, born.day))
        return age_band(max(years, 0))
    if reported is None and band:
        return band  # only a range was known (an open-data report's age group)
    return age_band(reported)


CHUNK = 5000  # ids per IN list (SQLite's limit on query parameters is far above)


def _in_chunks(queryset, field: str, ids):
    """Rows of `queryset` whose `field` is one of `ids`, a few thousand ids per query."""
    ids = sorted(ids)
    for at in range(0, len(ids), CHUNK):
        yield from queryset.filter(**{f"{field}__in": ids[at : at + CHUNK]})


def accompaniments(agency, start: datetime, end: datetime, given) -> list[tuple[int, int, str]]:
    """(person, case, sub-service) for each forensic exam or detective interview accompaniment
    done (outcome "done") with its time from `start` to `end`: the case's primary victim, who
    was accompanied. One whose case also has the same service entered the same day (in
    `given`, the agency's services) is left out: the specialist recorded it twice."""
    tz = agency.tz
    rows = list(
        FollowUp.objects.filter(
            agency=agency,
            kind__in=list(PMT_SERVICE),
            outcome=FollowUpOutcome.DONE,
            due_at__gte=start,
            due_at__lt=end,
        )
        .values_list("case__primary_victim_id", "case_id", "kind", "due_at")
        .order_by()
    )
    if not rows:
        return []
    entered = {
        (case_id, code, moment.astimezone(tz).date())
        for case_id, code, moment in given.filter(
            case_id__in={row[1] for row in rows}, sub_service__in=list(PMT_SERVICE.values())
        ).values_list("case_id", "sub_service", "provided_at")
    }
    return [
        (person_id, case_id, PMT_SERVICE[kind])
        for person_id, case_id, kind, due_at in rows
        if person_id is not None
        and (case_id, PMT_SERVICE[kind], due_at.astimezone(tz).date()) not in entered
    ]


def _block(section: str, reference_key: str, counts: Counter, extra=()) -> list[PmtRow]:
    codes = [(row[0], row[1]) for row in load("pmt")[reference_key]]
    codes += [pair for pair in extra if pair[0] not in dict(codes)]
    return [PmtRow(section, code, label, counts.get(code, 0)) for code, label in codes]


def pmt_report(actor: Actor, quarter: Quarter, *, source: FundingSource | None = None) -> PmtReport:
    """The quarter's numbers for the actor's agency (reports.aggregates). Aggregates only.
    With a funding source, only the services tagged to it count (docs/reports.md, "By funding
    source"): individuals, new individuals and their demographics follow from those."""
    actor.require(Perm.AGGREGATES_VIEW)
    if source is not None:
        actor.require_own(source)
    frozen = PmtSnapshot.objects.filter(
        agency=actor.agency, quarter=str(quarter), funding_source=source
    ).first()
    if frozen is not None:
        return report_from_snapshot(frozen)
    return _count(actor, quarter, source=source)


def report_to_data(report: PmtReport) -> dict:
    """A report as JSON data, for a PmtSnapshot."""
    return {
        "agency_name": report.agency_name,
        "quarter": str(report.quarter),
        "individuals": report.individuals,
        "new_individuals": report.new_individuals,
        "continuing_individuals": report.continuing_individuals,
        "source_name": report.source_name,
        "sections": {
            title: [[r.section, r.code, r.label, r.individuals, r.times] for r in rows]
            for title, rows in report.sections.items()
        },
    }


def report_from_snapshot(snapshot: PmtSnapshot) -> PmtReport:
    data = snapshot.data
    return PmtReport(
        agency_name=data["agency_name"],
        quarter=Quarter.parse(data["quarter"]),
        individuals=data["individuals"],
        new_individuals=data["new_individuals"],
        continuing_individuals=data["continuing_individuals"],
        source_name=data["source_name"],
        sections={
            title: [PmtRow(*row) for row in rows] for title, rows in data["sections"].items()
        },
        frozen_at=snapshot.frozen_at,
    )


@dataclass
class _Served:
    """Who was served in the quarter, on which cases, and how often each sub-service."""

    case_people: defaultdict = field(default_factory=lambda: defaultdict(set))
    ids: set = field(default_factory=set)
    times: Counter = field(default_factory=Counter)  # by sub-service
    people_by_sub: defaultdict = field(default_factory=lambda: defaultdict(set))

    def add(self, person_id: int, case_id: int, code: str, count: int = 1) -> None:
        self.case_people[case_id].add(person_id)
        self.ids.add(person_id)
        self.times[code] += count
        self.people_by_sub[code].add(person_id)


def _count(actor: Actor, quarter: Quarter, *, source: FundingSource | None) -> PmtReport:
    """The quarter's numbers counted from the rows on file now."""
    served, new_ids = _served(actor, quarter, source=source)
    demographics = _demographics(actor.agency, quarter, new_ids)
    victimization, several = _victimizations(actor.agency, served, new_ids)
    count, new = len(served.ids), len(new_ids)
    report = PmtReport(
        agency_name=actor.agency.name,
        source_name=source.name if source else "",
        quarter=quarter,
        individuals=count,
        new_individuals=new,
        continuing_individuals=count - new,
    )
    report.sections["Individuals served"] = _individual_rows(actor, quarter, count, new)
    report.sections.update(_demographic_blocks(*demographics))
    report.sections["Victimization types (new individuals)"] = _victimization_rows(
        victimization, several
    )
    report.sections["Services"] = _service_rows(served)
    report.sections["Narrative"] = [PmtRow("Narrative", code, text) for code, text in NARRATIVE]
    return report


def _served(
    actor: Actor, quarter: Quarter, *, source: FundingSource | None
) -> tuple[_Served, set[int]]:
    """Who was served in the quarter (and how), and which of them are new: not served earlier
    in the fiscal year."""
    tz = actor.agency.tz
    start = _moment(quarter.start, tz)
    end = _moment(date.fromordinal(quarter.end.toordinal() + 1), tz)
    year_start = _moment(quarter.fiscal_year_start, tz)
    given = ServiceProvided.objects.filter(agency=actor.agency, removed_at__isnull=True)
    if source is not None:
        given = given.filter(funding_source=source)
    in_quarter = given.filter(provided_at__gte=start, provided_at__lt=end)
    earlier = given.filter(provided_at__gte=year_start, provided_at__lt=start)

    # One pass over the quarter's services (one row per person, case and sub-service, with
    # how many times): who was served, on which case, and every service count.
    served = _Served()
    for person_id, case_id, code, count in (
        in_quarter.values_list("person_id", "case_id", "sub_service")
        .annotate(n=Count("id"))
        .order_by()
    ):
        served.add(person_id, case_id, code, count)
    # Forensic exam and detective interview accompaniments done (haven.followup): services
    # too, unless the same service was also entered on the case that day (counted once).
    for person_id, case_id, code in accompaniments(actor.agency, start, end, given):
        served.add(person_id, case_id, code)
    # Who of them was served earlier in the fiscal year: continuing, not new.
    earlier_ids = set(earlier.values_list("person_id", flat=True).distinct().order_by())
    earlier_ids |= {row[0] for row in accompaniments(actor.agency, year_start, start, given)}
    return served, served.ids - earlier_ids


def _demographics(agency, quarter: Quarter, new_ids: set[int]) -> tuple[Counter, ...]:
    """Race, gender, age on the quarter's first day and special classifications of the new
    individuals."""
    race, gender, age, special = Counter(), Counter(), Counter(), Counter()
    demographics = (
        Person.objects.filter(agency=agency)
        .values_list(
            "race_ethnicity",
            "gender_identity",
            "date_of_birth",
            "age_reported",
            "age_band",
            "special_classifications",
        )
        .order_by()
    )
    for race_code, gender_code, born, reported, band, classes in _in_chunks(
        demographics, "pk", new_ids
    ):
        race[race_code or NOT_REPORTED] += 1
        gender[gender_code or NOT_REPORTED] += 1
        age[_age_on(quarter.start, born, reported, band)] += 1
        for code in set(classes or ()):
            special[code] += 1
    return race, gender, age, special


def _victimizations(agency, served: _Served, new_ids: set[int]) -> tuple[Counter, int]:
    """Victimization types of the new individuals: those of the cases they were served on this
    quarter. A person is counted once per type, however many cases carry it. With the number
    of them who presented with more than one type."""
    types_by_person = defaultdict(set)
    types = (
        CaseVictimization.objects.filter(agency=agency).values_list("case_id", "code").order_by()
    )
    for case_id, code in _in_chunks(types, "case_id", served.case_people):
        for person_id in served.case_people.get(case_id, ()):
            if person_id in new_ids:
                types_by_person[person_id].add(code)
    victimization = Counter()
    for person_id in new_ids:
        victimization.update(types_by_person.get(person_id) or {NOT_REPORTED})
    several = sum(1 for codes in types_by_person.values() if len(codes) > 1)
    return victimization, several


NOT_COLUMNS = [(NOT_REPORTED, "Not reported"), (NOT_TRACKED, "Not tracked")]


def _individual_rows(actor: Actor, quarter: Quarter, served: int, new: int) -> list[PmtRow]:
    section = "Individuals served"
    return [
        PmtRow(section, "individuals", "Individuals who received services", served),
        PmtRow(section, "new", "New individuals (first served this FFY)", new),
        PmtRow(
            section, "continuing", "Continuing individuals (served earlier this FFY)", served - new
        ),
        PmtRow(
            section,
            "anonymous",
            "Anonymous contacts (hotline callers and walk-ins who gave no identity)",
            anonymous_contact_count(actor.agency, quarter.start, quarter.end),
        ),
    ]


def _demographic_blocks(
    race: Counter, gender: Counter, age: Counter, special: Counter
) -> dict[str, list[PmtRow]]:
    return {
        title: _block(title, key, counts, extra=extra)
        for title, key, counts, extra in (
            ("Race/ethnicity (new individuals)", "race_ethnicity", race, ()),
            ("Gender identity (new individuals)", "gender_identity", gender, ()),
            ("Age (new individuals)", "age_bands", age, NOT_COLUMNS),
            (
                "Special classifications (new individuals)",
                "special_classifications",
                special,
                (),
            ),
        )
    }


def _victimization_rows(victimization: Counter, several: int) -> list[PmtRow]:
    section = "Victimization types (new individuals)"
    rows = _block(section, "victimization_types", victimization, extra=NOT_COLUMNS)
    rows.append(
        PmtRow(
            section,
            "multiple",
            "Individuals who presented with more than one type of victimization",
            several,
        )
    )
    return rows


def _service_rows(served: _Served) -> list[PmtRow]:
    """For each category the individuals who received any of its services and the times
    provided, then the same for each of its sub-services."""
    times, people_by_sub = served.times, served.people_by_sub
    rows = []
    for category in catalog.categories():
        codes = [sub.code for sub in category.sub_services]
        individuals = set().union(*(people_by_sub.get(code, set()) for code in codes))
        category_times = sum(times.get(code, 0) for code in codes)
        rows.append(
            PmtRow("Services", category.code, category.label, len(individuals), category_times)
        )
        rows += [
            PmtRow(
                "Services",
                sub.code,
                sub.label,
                len(people_by_sub.get(sub.code, ())),
                times.get(sub.code, 0),
            )
            for sub in category.sub_services
        ]
    return rows


HEADER = ["section", "code", "label", "individuals", "times provided"]


def _cell(value):
    return "" if value is None else value


def pmt_csv(report: PmtReport) -> bytes:
    buffer = io.StringIO()
    writer = csv_writer(buffer)
    writer.writerow(["agency", report.agency_name])
    writer.writerow(["quarter", str(report.quarter), report.quarter.label])
    if report.source_name:
        writer.writerow(["funding source", report.source_name])
    writer.writerow(HEADER)
    for row in report.rows:
        writer.writerow(
            [row.section, row.code, row.label, _cell(row.individuals), _cell(row.times)]
        )
    return buffer.getvalue().encode("utf-8-sig")


def pmt_xlsx(report: PmtReport) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = f"PMT {report.quarter}"
    sheet.append(safe_row([report.agency_name]))
    sheet.append(safe_row([report.quarter.label]))
    if report.source_name:
        sheet.append(safe_row([f"Funding source: {report.source_name}"]))
    sheet["A1"].font = Font(bold=True, size=14)
    for title, rows in report.sections.items():
        sheet.append([])
        sheet.append(safe_row([title]))
        sheet.cell(row=sheet.max_row, column=1).font = Font(bold=True)
        sheet.append(["code", "label", "individuals", "times provided"])
        for row in rows:
            sheet.append(safe_row([row.code, row.label, row.individuals, row.times]))
    sheet.column_dimensions["A"].width = 14
    sheet.column_dimensions["B"].width = 70
    sheet.column_dimensions["C"].width = 12
    sheet.column_dimensions["D"].width = 15
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
