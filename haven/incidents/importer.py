"""The import itself: stream the rows, group them into reports, and write each batch of
reports in one transaction with bulk inserts.

Rules (also in docs/import-profiles.md):

- A report is keyed by its number within the agency. Rows of one report (a victim or an
  offense per row) are merged; they must come together in the file, and a batch is never cut
  between them. A row whose report was already read further up, apart from it, is a bad row.
- Same report, same digest: unchanged, nothing is written. Different content: updated in place
  with an INCIDENT_UPDATE audit event naming the fields that changed. People are never deleted
  from a report: one a later export drops is marked `dropped_at`.
- A row that does not parse is reported with its line and reason; the rest import. With
  `strict`, the whole file is read first and nothing is written if any row is bad.
- `dry_run` reads the file and the database and writes nothing.
- Each batch is atomic. If the run stops (an error, a killed process), the batches before it
  stay and the run is marked failed; running the same file again finishes the job, since the
  reports already written are unchanged.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import BinaryIO

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from haven.agencies.models import Agency, District
from haven.audit.models import AuditAction
from haven.audit.services import audit_record
from haven.core.actor import Actor
from haven.incidents import bulk, hooks, investigation, matching
from haven.incidents.mapper import Mapper, PersonRecord, ReportRecord
from haven.incidents.models import (
    ImportRejectedRow,
    ImportRun,
    ImportStatus,
    Incident,
    IncidentOffense,
    IncidentPerson,
    LinkSource,
    MatchCandidate,
    MatchStatus,
)
from haven.incidents.profile import Profile
from haven.incidents.reader import ExportReader, FileError, RowError, check_encoding
from haven.incidents.seen import SeenReports

BATCH_SIZE = 2000
MAX_ERRORS_SHOWN = 500  # bad rows on the run's page; all are kept (ImportRejectedRow)
PROGRESS_EVERY = 500  # rows
# ImportResult counters and the ImportRun columns that total them.
INCIDENT_COLUMNS = (
    "agency",
    "report_number",
    "reported_at",
    "occurred_at",
    "district",
    "district_code",
    "beat",
    "location",
    "exported_status",
    "exported_detective",
    "investigation_status",
    "detective",
    "investigation_changed_at",
    "domestic_violence",
    "weapon",
    "firearm",
    "source_profile",
    "source_hash",
    "last_run",
    "imported_at",
    "updated_at",
)
OFFENSE_COLUMNS = ("agency", "incident", "code", "description", "nibrs_code")
PERSON_COLUMNS = (
    "agency",
    "incident",
    "position",
    "role",
    "first_name",
    "last_name",
    "date_of_birth",
    "age",
    "age_band",
    "sex",
    "race_ethnicity",
    "phone",
    "email",
    "person",
    "link_source",
)
COUNTERS = {
    "rows": "rows_read",
    "bad_count": "rows_bad",
    "new": "incidents_new",
    "updated": "incidents_updated",
    "unchanged": "incidents_unchanged",
    "linked": "people_linked",
    "to_review": "people_to_review",
    "cases_opened": "cases_opened",
    "outreach_held": "outreach_held",
}

INCIDENT_FIELDS = (
    "reported_at",
    "occurred_at",
    "district_code",
    "beat",
    "location",
    "exported_status",
    "exported_detective",
    "domestic_violence",
    "weapon",
    "firearm",
)
PERSON_FIELDS = (
    "role",
    "first_name",
    "last_name",
    "date_of_birth",
    "age",
    "age_band",
    "sex",
    "race_ethnicity",
    "phone",
    "email",
)
# A change to any of these means the person may be someone else: match them again.
IDENTITY_FIELDS = {"first_name", "last_name", "date_of_birth", "phone", "email"}


@dataclass
class BadRow:
    line: int
    reason: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.reason}"


@dataclass
class ImportResult:
    profile: str
    dry_run: bool
    strict: bool
    run: ImportRun | None = None
    rows: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    bad_count: int = 0
    bad: list[BadRow] = field(default_factory=list)  # every refused row, in file order
    # Offense codes read without a NIBRS code: code -> [times read, description].
    unmapped: dict[str, list] = field(default_factory=dict)
    linked: int = 0
    to_review: int = 0
    # What the outreach rules did (outreach.decisions); a dry run counts the cases it would open.
    cases_opened: int = 0
    outreach_held: int = 0
    would_open: int = 0
    seconds: float = 0.0

    def add_bad(self, bad: list[BadRow]) -> None:
        self.bad_count += len(bad)
        self.bad.extend(bad)

    def unmapped_codes(self) -> list[dict]:
        """[{"code", "description", "count"}], the most read first."""
        return [
            {"code": code, "description": description, "count": count}
            for code, (count, description) in sorted(
                self.unmapped.items(), key=lambda item: (-item[1][0], item[0])
            )
        ]


@dataclass
class Batch:
    reports: dict[str, ReportRecord]
    bad: list[BadRow]
    rows: int


Progress = Callable[[int, int], None]  # (bytes read, rows read)


class Importer:
    def __init__(
        self,
        *,
        actor: Actor,
        profile: Profile,
        stream: BinaryIO,
        file_name: str,
        dry_run: bool = False,
        strict: bool = False,
        batch_size: int = BATCH_SIZE,
        progress: Progress | None = None,
        on_run: Callable[[ImportRun], None] | None = None,
    ):
        self.actor = actor
        self.on_run = on_run or (lambda run: None)
        self.agency: Agency = actor.agency
        self.profile = profile
        self.stream = stream
        self.file_name = file_name
        self.batch_size = batch_size
        self.progress = progress or (lambda position, rows: None)
        self.result = ImportResult(profile=profile.name, dry_run=dry_run, strict=strict)
        self.districts = self._district_ids()
        # The agency's outreach rules when haven.outreach is installed (incidents/hooks.py).
        self.outreach = hooks.batch_handler(self.agency, acting_for=actor.label)

    def run(self) -> ImportResult:
        with fewer_collections():
            return self._run()

    def _run(self) -> ImportResult:
        started = time.perf_counter()
        # A file the profile cannot read at all (missing columns, another encoding anywhere in
        # it) stops here, before anything is written: no import run, no batch.
        self._preflight()
        if self.result.strict:
            self._validate()
            if self.result.bad_count:
                self.result.seconds = time.perf_counter() - started
                return self.result
            self.stream.seek(0)
            self.result = ImportResult(
                profile=self.profile.name, dry_run=self.result.dry_run, strict=True
            )
        if self.result.dry_run:
            for batch in self._batches():
                self._count(batch)
                new, _ = self._classify(batch)
                if self.outreach:
                    self.result.would_open += self.outreach.preview(
                        [(report, self._district_id(report)) for report, _ in new],
                        timezone.now(),
                    )
        else:
            self._import()
        self.result.seconds = time.perf_counter() - started
        return self.result

    # --- reading -------------------------------------------------------------------------

    def _reader(self) -> ExportReader:
        p = self.profile
        reader = ExportReader(self.stream, fmt=p.format, encoding=p.encoding, delimiter=p.delimiter)
        if reader.header is not None:
            try:
                check_header(p, reader.header)
            except FileError:
                reader.release()
                raise
        return reader

    def _preflight(self) -> None:
        check_encoding(self.stream, self.profile.encoding)
        self.stream.seek(0)
        reader = self._reader()
        reader.release()
        self.stream.seek(0)

    def _batches(self) -> Iterator[Batch]:
        """Rows grouped into reports, batch by batch; never cuts between rows of one report."""
        reader = self._reader()
        try:
            mapper = Mapper(self.profile, self.agency.tz, unmapped=self.result.unmapped)
            yield from self._grouped(reader, mapper)
        finally:
            reader.release()

    def _grouped(self, reader: ExportReader, mapper: Mapper) -> Iterator[Batch]:
        seen_before = SeenReports()
        batch = Batch({}, [], 0)
        last_number = None
        total = 0
        for row in reader:
            total += 1
            if total % PROGRESS_EVERY == 0:
                self.progress(reader.position, total)
            if row.values is None:
                batch.bad.append(BadRow(row.line, f"The row {row.error}"))
                batch.rows += 1
                continue
            try:
                record = mapper.record(row.values, row.line)
            except RowError as exc:
                batch.bad.append(BadRow(row.line, str(exc)))
                batch.rows += 1
                continue
            number = record.report_number
            if batch.rows >= self.batch_size and number != last_number:
                seen_before.add(batch.reports)
                yield batch
                batch = Batch({}, [], 0)
            batch.rows += 1
            last_number = number
            if number in batch.reports:
                batch.reports[number].absorb(record)
            elif number in seen_before:
                batch.bad.append(
                    BadRow(
                        row.line,
                        f"report {number} was already read further up, apart from this row: "
                        "put the rows of a report together (sort the export by report number) "
                        "and import the file again.",
                    )
                )
            else:
                batch.reports[number] = record
        self.progress(reader.position, total)
        yield batch

    def _validate(self) -> None:
        for batch in self._batches():
            self._count(batch)

    def _count(self, batch: Batch) -> None:
        self.result.rows += batch.rows
        self.result.add_bad(batch.bad)

    # --- comparing -----------------------------------------------------------------------

    def _classify(self, batch: Batch) -> tuple[list, list]:
        """([(new report, digest)], [(incident, report, digest, changed fields)]), counting
        new, updated and unchanged reports as it goes."""
        for report in batch.reports.values():
            report.finish()
        digests = {number: report.digest() for number, report in batch.reports.items()}
        # A plain SELECT through the unique index on (agency, report number): no ORDER BY, as
        # Meta.ordering would make SQLite walk the reported_at index over the whole table.
        stored = bulk.values_by(
            Incident, "report_number", "source_hash", self.agency.pk, batch.reports
        )
        new = [(r, digests[n]) for n, r in batch.reports.items() if n not in stored]
        differing = [n for n in stored if stored[n] != digests[n]]
        changed = []
        incidents = Incident.objects.filter(
            agency=self.agency, report_number__in=differing
        ).prefetch_related("offenses", "people")
        for incident in incidents if differing else ():
            report = batch.reports[incident.report_number]
            fields = changed_fields(incident, report, self._district_id(report))
            changed.append((incident, report, digests[incident.report_number], fields))
        updated = sum(1 for *_, fields in changed if fields)
        self.result.new += len(new)
        self.result.updated += updated
        self.result.unchanged += len(stored) - updated
        return new, changed

    # --- writing -------------------------------------------------------------------------

    def _import(self) -> None:
        with transaction.atomic():
            run = ImportRun.objects.create(
                agency=self.agency,
                profile=self.profile.name,
                file_name=self.file_name[:255],
                actor_label=self.actor.label[:150],
            )
        self.result.run = run
        self.on_run(run)
        try:
            for batch in self._batches():
                with transaction.atomic():
                    self._write(batch, run)
        except BaseException as exc:
            with transaction.atomic():
                ImportRun.objects.filter(pk=run.pk).update(
                    status=ImportStatus.FAILED,
                    finished_at=timezone.now(),
                    failure=str(exc)[:2000] or exc.__class__.__name__,
                )
            # What the batches before the failure wrote (they stay), for the caller to report.
            exc.import_result = self.result
            raise
        r = self.result
        with transaction.atomic():
            ImportRun.objects.filter(pk=run.pk).update(
                status=ImportStatus.COMPLETED,
                finished_at=timezone.now(),
                unmapped_codes=r.unmapped_codes(),
            )
            audit_record(
                actor=self.actor,
                action=AuditAction.INCIDENT_IMPORT,
                obj=run,
                details={
                    "profile": self.profile.name,
                    "file": self.file_name[:255],
                    "rows": r.rows,
                    "new": r.new,
                    "updated": r.updated,
                    "unchanged": r.unchanged,
                    "bad": r.bad_count,
                    "unmapped_codes": len(r.unmapped),
                    "linked": r.linked,
                    "to_review": r.to_review,
                    "cases_opened": r.cases_opened,
                },
            )
        run.refresh_from_db()

    def _write(self, batch: Batch, run: ImportRun) -> None:
        # Two imports for one agency (two servers, a retry) take turns batch by batch instead
        # of racing to insert the same report. SQLite's write lock does the same by itself.
        Agency.objects.select_for_update().filter(pk=self.agency.pk).exists()
        before = self._counters()
        self._count(batch)
        new, changed = self._classify(batch)
        people = self._insert(new, run)
        for incident, report, digest, fields in changed:
            people += self._update(incident, report, digest, fields, run)
        self._match(people, run)
        opened = self.outreach.apply(
            [r.report_number for r, _ in new]
            + [incident.report_number for incident, _, _, fields in changed if fields]
        )
        self.result.cases_opened += opened.opened
        self.result.outreach_held += opened.held
        after = self._counters()
        delta = {key: after[i] - before[i] for i, key in enumerate(COUNTERS)}
        if batch.bad:
            ImportRejectedRow.objects.bulk_create(
                [
                    ImportRejectedRow(
                        agency_id=self.agency.pk, run=run, line=b.line, reason=b.reason
                    )
                    for b in batch.bad
                ],
                batch_size=1000,
            )
        fields = {column: F(column) + delta[key] for key, column in COUNTERS.items()}
        fields["unmapped_codes"] = self.result.unmapped_codes()
        if batch.bad and len(self.result.bad) - len(batch.bad) < MAX_ERRORS_SHOWN:
            fields["errors"] = [
                {"line": b.line, "reason": b.reason} for b in self.result.bad[:MAX_ERRORS_SHOWN]
            ]
        ImportRun.objects.filter(pk=run.pk).update(**fields)
        if delta["new"]:
            audit_record(
                actor=self.actor,
                action=AuditAction.INCIDENT_IMPORT,
                obj=run,
                details={
                    "profile": self.profile.name,
                    "new": delta["new"],
                    "lines": [min(r.line for r, _ in new), max(r.line for r, _ in new)],
                },
            )

    def _counters(self) -> tuple[int, ...]:
        return tuple(getattr(self.result, key) for key in COUNTERS)

    def _insert(self, reports: list, run: ImportRun) -> list[PersonRecord]:
        """Insert the new incidents and their offenses; return their people, not yet written,
        so that matching can fill in a certain match before they are."""
        if not reports:
            return []
        now = timezone.now()
        agency_id = self.agency.pk
        bulk.insert(
            Incident,
            INCIDENT_COLUMNS,
            [
                (
                    agency_id,
                    r.report_number,
                    r.reported_at,
                    r.occurred_at,
                    self._district_id(r),
                    r.district_code,
                    r.beat,
                    r.location,
                    r.exported_status,
                    r.exported_detective,
                    r.exported_status,
                    r.exported_detective,
                    now if (r.exported_status or r.exported_detective) else None,
                    r.domestic_violence,
                    r.weapon,
                    r.firearm,
                    self.profile.name,
                    digest,
                    run.pk,
                    now,
                    now,
                )
                for r, digest in reports
            ],
        )
        ids = bulk.values_by(
            Incident, "report_number", "id", agency_id, [r.report_number for r, _ in reports]
        )
        offenses, people = [], []
        for report, _ in reports:
            incident_id = ids[report.report_number]
            offenses += [
                (agency_id, incident_id, o.code, o.description, o.nibrs_code)
                for o in report.offenses
            ]
            for person in report.people:
                person.incident_id = incident_id
                people.append(person)
        bulk.insert(IncidentOffense, OFFENSE_COLUMNS, offenses)
        return people

    def _update(self, incident, report, digest, fields, run) -> list:
        """Apply a corrected report; returns its people to (re)match."""
        incident.source_hash = digest
        incident.last_run_id = run.pk
        if not fields:  # the digest moved (a new index key, a reworded profile), not the data
            incident.save(update_fields=["source_hash", "last_run"])
            return []
        now = timezone.now()
        for name in INCIDENT_FIELDS:
            setattr(incident, name, getattr(report, name))
        incident.district_id = self._district_id(report)
        incident.source_profile = self.profile.name
        incident.updated_at = now
        incident.save(
            update_fields=[
                *INCIDENT_FIELDS,
                "district",
                "source_profile",
                "source_hash",
                "last_run",
                "updated_at",
            ]
        )
        if "offenses" in fields:
            incident.offenses.all().delete()
            bulk.insert(
                IncidentOffense,
                OFFENSE_COLUMNS,
                [
                    (incident.agency_id, incident.pk, o.code, o.description, o.nibrs_code)
                    for o in report.offenses
                ],
            )
        people = self._update_people(incident, report, now) if "people" in fields else []
        if {"exported_status", "exported_detective"} & set(fields):
            investigation.exported_changed(actor=self.actor, incident=incident, fields=fields)
        audit_record(
            actor=self.actor,
            action=AuditAction.INCIDENT_UPDATE,
            obj=incident,
            details={"fields": fields, "import_run": run.pk},
        )
        return people

    def _update_people(self, incident, report, now) -> list:
        """Update people in place by role and position. Returns the ones to match: new people
        (records, not yet written) and stored people whose name, birth date or contacts
        changed."""
        stored = {(p.role, p.position): p for p in incident.people.all()}
        people = []
        for record in report.people:
            person = stored.pop((record.role, record.position), None)
            if person is None:
                record.incident_id = incident.pk
                people.append(record)
                continue
            changed = [f for f in PERSON_FIELDS if getattr(person, f) != getattr(record, f)]
            for name in changed:
                setattr(person, name, getattr(record, name))
            if person.dropped_at is not None:
                person.dropped_at = None
                changed.append("dropped_at")
            if IDENTITY_FIELDS & set(changed) and person.link_source != LinkSource.REVIEW:
                person.person = None
                person.link_source = LinkSource.NONE
                changed += ["person", "link_source"]
                person.candidates.filter(status=MatchStatus.PENDING).delete()
                people.append(person)
            if changed:
                person.save(update_fields=changed)
        for person in stored.values():
            if person.dropped_at is None:
                person.dropped_at = now
                person.save(update_fields=["dropped_at"])
        return people

    def _match(self, people: list, run: ImportRun) -> None:
        """Match the victims among `people` (new PersonRecords and changed IncidentPersons),
        write the new ones, and propose the uncertain matches for review."""
        outcome = matching.match_victims(self.actor, people)
        new = [p for p in people if isinstance(p, PersonRecord)]
        bulk.insert(
            IncidentPerson,
            PERSON_COLUMNS,
            [
                (
                    self.agency.pk,
                    p.incident_id,
                    p.position,
                    p.role,
                    p.first_name,
                    p.last_name,
                    p.date_of_birth,
                    p.age,
                    p.age_band,
                    p.sex,
                    p.race_ethnicity,
                    p.phone,
                    p.email,
                    p.person_id,
                    p.link_source,
                )
                for p in new
            ],
        )
        for person in people:
            if isinstance(person, IncidentPerson) and person.link_source == LinkSource.EXACT:
                IncidentPerson.objects.filter(pk=person.pk).update(
                    person_id=person.person_id, link_source=LinkSource.EXACT
                )
        if outcome.proposals:
            ids = self._person_ids([p for p, _ in outcome.proposals])
            MatchCandidate.objects.bulk_create(
                [
                    MatchCandidate(
                        agency_id=self.agency.pk,
                        incident_person_id=ids[id(person)],
                        person_id=proposal.person_id,
                        score=proposal.score,
                        reasons=proposal.reasons,
                    )
                    for person, proposals in outcome.proposals
                    for proposal in proposals
                ],
                ignore_conflicts=True,
            )
        self.result.linked += outcome.linked
        self.result.to_review += len(outcome.proposals)
        matching.audit_search(self.actor, outcome, run.pk)

    @staticmethod
    def _person_ids(people: list) -> dict[int, int]:
        """id(person object) -> IncidentPerson pk, for records just written and stored rows."""
        ids = {id(p): p.pk for p in people if isinstance(p, IncidentPerson)}
        records = [p for p in people if isinstance(p, PersonRecord)]
        if records:
            rows = (
                IncidentPerson.objects.filter(incident_id__in={p.incident_id for p in records})
                .order_by()
                .values_list("incident_id", "role", "position", "pk")
            )
            keys = {(incident_id, role, position): pk for incident_id, role, position, pk in rows}
            for p in records:
                ids[id(p)] = keys[(p.incident_id, p.role, p.position)]
        return ids

    # --- districts -----------------------------------------------------------------------

    def _district_ids(self) -> dict[str, int]:
        ids = {}
        for code, pk in District.objects.filter(agency=self.agency).values_list("code", "id"):
            ids[code.casefold()] = pk
            ids.setdefault(code.lstrip("0").casefold(), pk)  # "015" in the export, "15" here
        return ids

    def _district_id(self, report: ReportRecord) -> int | None:
        code = report.district_code.casefold()
        if not code:
            return None
        return self.districts.get(code) or self.districts.get(code.lstrip("0"))


@contextmanager
def fewer_collections(young: int = 50_000) -> Iterator[None]:
    """Run the cyclic garbage collector less often while rows stream by. Each row makes a few
    dozen short-lived objects that reference counting frees; at the default threshold (700)
    the collector also ran a full pass over every object of the process (Django's included)
    every few thousand rows, a tenth of the import's CPU. The thresholds are put back after."""
    before = gc.get_threshold()
    gc.set_threshold(max(before[0], young), *before[1:])
    try:
        yield
    finally:
        gc.set_threshold(*before)


def check_header(profile: Profile, header) -> None:
    """Raise FileError when a CSV header lacks a column the profile reads."""
    missing = sorted(profile.row_columns() - set(header))
    if missing:
        raise FileError(
            f"The file has no column {', '.join(repr(m) for m in missing)}, which the "
            f"profile {profile.name!r} reads: is it the right profile for this export?"
        )


def changed_fields(incident: Incident, report: ReportRecord, district_id: int | None) -> list[str]:
    """The names of what differs between the stored incident and the report, in a fixed order:
    incident fields, then "offenses" and "people"."""
    fields = [name for name in INCIDENT_FIELDS if getattr(incident, name) != getattr(report, name)]
    if incident.district_id != district_id and "district_code" not in fields:
        fields.append("district")
    stored_offenses = [(o.code, o.description, o.nibrs_code) for o in incident.offenses.all()]
    if stored_offenses != [(o.code, o.description, o.nibrs_code) for o in report.offenses]:
        fields.append("offenses")
    stored_people = {
        (p.role, p.position): (*(getattr(p, f) for f in PERSON_FIELDS), p.dropped_at is None)
        for p in incident.people.all()
    }
    wanted = {
        (p.role, p.position): (*(getattr(p, f) for f in PERSON_FIELDS), True) for p in report.people
    }
    if any(stored_people.get(key) != values for key, values in wanted.items()) or any(
        key not in wanted and values[-1] for key, values in stored_people.items()
    ):
        fields.append("people")
    return fields
