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
from dataclasses import dataclass
from typing import BinaryIO

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from haven.agencies.models import Agency, District
from haven.audit.models import AuditAction
from haven.audit.services import audit_record
from haven.core.actor import Actor
from haven.incidents import bulk, hooks
from haven.incidents.import_result import COUNTERS, BadRow, ImportResult
from haven.incidents.mapper import Mapper
from haven.incidents.models import ImportRejectedRow, ImportRun, ImportStatus, Incident
from haven.incidents.profile import Profile
from haven.incidents.reader import ExportReader, FileError, RowError, check_encoding
from haven.incidents.records import ReportRecord
from haven.incidents.report_writes import ReportWriter, changed_fields
from haven.incidents.seen import SeenReports

__all__ = ["BATCH_SIZE", "BadRow", "ImportResult", "Importer", "Progress", "check_header"]

BATCH_SIZE = 2000
MAX_ERRORS_SHOWN = 500  # bad rows on the run's page; all are kept (ImportRejectedRow)
PROGRESS_EVERY = 500  # rows


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
        self.writer = ReportWriter(
            actor=actor, profile_name=profile.name, district_id=self._district_id
        )

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
        people = self.writer.insert(new, run)
        for incident, report, digest, fields in changed:
            people += self.writer.update(incident, report, digest, fields, run)
        linked, to_review = self.writer.match(people, run)
        self.result.linked += linked
        self.result.to_review += to_review
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
