"""`manage.py import_incidents --agency SLUG --profile NAME FILE [--dry-run] [--strict]
[--rejects FILE] [--allow-bad N|N%]`

Imports a records-system export (CSV or JSON lines, as the profile says) into one agency. The
rules (idempotency, bad rows, strict, dry run, what a failure leaves) are in importer.py and
docs/import-profiles.md.

Exit status: 0 when every row was read (or no more were refused than --allow-bad allows); 1 when
the file or the profile could not be used at all (nothing was written); 2 when rows were refused
beyond what --allow-bad allows (the good rows were imported, unless --strict or --dry-run).
"""

import os
import re

from django.core.management.base import CommandError

from haven.agencies.models import Agency
from haven.core.actor import Actor
from haven.core.commands import RoutineCommand
from haven.core.scoping import agency_scope
from haven.incidents.importer import BATCH_SIZE, ImportResult
from haven.incidents.profile import ProfileError, load_profile
from haven.incidents.progress import ProgressBar
from haven.incidents.reader import FileError
from haven.incidents.services import incidents_import
from haven.lib.spreadsheet import csv_writer

ACTOR_LABEL = "manage.py import_incidents"
BAD_ROWS_SHOWN = 50
TOO_MANY_REFUSED = 2  # exit status: rows were refused beyond --allow-bad


def allowance(text: str) -> tuple[int | None, float | None]:
    """--allow-bad: a count of rows ("25") or a share of the rows read ("0.5%")."""
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*(%?)\s*", text or "")
    if match is None or (not match[2] and "." in match[1]):
        raise CommandError(
            f"--allow-bad {text!r}: give a number of rows (25) or a percentage of the rows (0.5%)."
        )
    if match[2]:
        share = float(match[1])
        if share > 100:
            raise CommandError(f"--allow-bad {text!r}: a percentage is at most 100%.")
        return None, share
    return int(match[1]), None


def within(result: ImportResult, allowed: tuple[int | None, float | None]) -> bool:
    count, share = allowed
    if count is not None:
        return result.bad_count <= count
    return result.bad_count <= result.rows * share / 100


def write_rejects(path: str, result: ImportResult) -> None:
    """Every refused row: line and reason (no cell of the row itself: it may name a person)."""
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv_writer(handle)
        writer.writerow(["line", "reason"])
        writer.writerows((bad.line, bad.reason) for bad in result.bad)


class Command(RoutineCommand):
    help = "Import incidents from a records-system export (CSV or JSON lines) through a profile."

    def add_arguments(self, parser):
        parser.add_argument("file", help="the export: a .csv or .jsonl file")
        parser.add_argument("--agency", required=True, help="the agency's slug")
        parser.add_argument(
            "--profile",
            required=True,
            help="a shipped profile (lapd, nypd-shootings, sfpd, chicago, nibrs) or the path of "
            "your own .toml",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="report what would change; change nothing"
        )
        parser.add_argument(
            "--strict", action="store_true", help="import nothing if any row is bad"
        )
        parser.add_argument(
            "--batch-size", type=int, default=BATCH_SIZE, help="rows per transaction"
        )
        parser.add_argument(
            "--rejects",
            metavar="FILE",
            help="write every refused row (line, reason) to this CSV file",
        )
        parser.add_argument(
            "--allow-bad",
            metavar="N|N%",
            default="0",
            help="how many refused rows are acceptable before the exit status says so: a "
            "count (25) or a share of the rows read (0.5%%); default 0",
        )

    def handle(
        self,
        *args,
        file,
        agency,
        profile,
        dry_run,
        strict,
        batch_size,
        rejects,
        allow_bad,
        **options,
    ):
        allowed = allowance(allow_bad)
        profile, found = _checked(file, agency, profile, batch_size, rejects)
        try:
            stream = open(file, "rb")  # noqa: SIM115 - closed below, after the import
        except OSError as exc:
            raise CommandError(f"Cannot open {file}: {exc.strerror}.") from None
        progress = None
        if self.stderr.isatty():
            progress = ProgressBar(self.stderr._out, os.fstat(stream.fileno()).st_size)
        try:
            with agency_scope(found):
                result = incidents_import(
                    actor=Actor.system(found, ACTOR_LABEL),
                    profile=profile,
                    stream=stream,
                    file_name=os.path.basename(file),
                    dry_run=dry_run,
                    strict=strict,
                    batch_size=batch_size,
                    progress=progress,
                )
        except FileError as exc:
            partial = getattr(exc, "import_result", None)
            if partial is not None and partial.run is not None:
                raise CommandError(
                    f"{file}: {exc} Import run {partial.run.pk} failed after {partial.rows:,} "
                    f"rows: the batches before it stay ({partial.new:,} new, "
                    f"{partial.updated:,} updated); run the command again once the file is "
                    "fixed, and the rows already imported are skipped as unchanged."
                ) from None
            raise CommandError(f"{file}: {exc} Nothing was imported.") from None
        finally:
            if progress:
                progress.close()
            stream.close()
        if rejects:
            write_rejects(rejects, result)
        self._report(result, rejects)
        if result.bad_count and not within(result, allowed):
            raise CommandError(
                f"{result.bad_count:,} of {result.rows:,} rows were refused, more than "
                f"--allow-bad {allow_bad} allows.",
                returncode=TOO_MANY_REFUSED,
            )

    def _report(self, result: ImportResult, rejects: str | None) -> None:
        """Refused rows and unmapped codes first (what the clerk must act on), then the counts."""
        if result.bad_count:
            share = result.bad_count / max(result.rows, 1)
            where = (
                f"every one is in {rejects}"
                if rejects
                else (
                    f"every one is on import run {result.run.pk}'s page and its CSV download"
                    if result.run is not None
                    else "use --rejects FILE to keep every one"
                )
            )
            self.stderr.write(
                f"Refused {result.bad_count:,} of {result.rows:,} rows ({share:.1%}); {where}."
            )
            for bad in result.bad[:BAD_ROWS_SHOWN]:
                self.stderr.write(f"line {bad.line}: {bad.reason}")
            if result.bad_count > BAD_ROWS_SHOWN:
                self.stderr.write(f"... and {result.bad_count - BAD_ROWS_SHOWN:,} more.")
        codes = result.unmapped_codes()
        if codes:
            times = sum(code["count"] for code in codes)
            have = "offense code has" if len(codes) == 1 else "offense codes have"
            self.stderr.write(
                f"{len(codes):,} {have} no NIBRS code ({times:,} offenses): no outreach rule "
                "on NIBRS codes sees them. Add them to the profile's NIBRS map:"
            )
            for code in codes:
                self.stderr.write(
                    f"  {code['code']} {code['description']}".rstrip() + f" ({code['count']:,})"
                )
        if result.strict and result.bad_count:
            raise CommandError(
                f"Nothing imported: {result.bad_count:,} of {result.rows:,} rows are bad "
                "(--strict). Fix them, or import without --strict to skip them."
            )
        counts = (
            f"{result.new:,} new, {result.updated:,} updated, {result.unchanged:,} unchanged, "
            f"{result.bad_count:,} bad rows"
        )
        if result.dry_run:
            opens = ""
            if result.would_open:
                opens = f"; up to {result.would_open:,} outreach cases would open"
            self.stdout.write(
                f"Dry run, nothing changed: {result.rows:,} rows would give {counts}{opens}."
            )
            return
        self.stdout.write(
            f"Imported {result.rows:,} rows with profile {result.profile} in "
            f"{result.seconds:.1f} s: {counts}; {result.linked:,} victims linked to known "
            f"people, {result.to_review:,} to review; {result.cases_opened:,} outreach cases "
            f"opened, {result.outreach_held:,} held (import run {result.run.pk})."
        )


def _checked(file: str, agency: str, profile: str, batch_size: int, rejects: str | None):
    """(the profile, the agency) once the options are checked; CommandError otherwise."""
    try:
        loaded = load_profile(profile)
    except ProfileError as exc:
        raise CommandError(str(exc)) from None
    found = Agency.objects.filter(slug=agency).first()
    if found is None:
        raise CommandError(f"No agency with the slug {agency!r}.")
    if batch_size < 1:
        raise CommandError("--batch-size must be at least 1.")
    if rejects and os.path.abspath(rejects) == os.path.abspath(file):
        raise CommandError("--rejects must name another file than the export.")
    return loaded, found
