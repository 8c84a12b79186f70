"""`manage.py import_incidents --agency SLUG --profile NAME FILE [--dry-run] [--strict]`

Imports a records-system export (CSV or JSON lines, as the profile says) into one agency. The
rules (idempotency, bad rows, strict, dry run, what a failure leaves) are in importer.py and
docs/import-profiles.md.
"""

import os

from django.core.management.base import BaseCommand, CommandError

from haven.agencies.models import Agency
from haven.core.actor import Actor
from haven.core.scoping import agency_scope
from haven.incidents.importer import BATCH_SIZE
from haven.incidents.profile import ProfileError, load_profile
from haven.incidents.progress import ProgressBar
from haven.incidents.reader import FileError
from haven.incidents.services import incidents_import

ACTOR_LABEL = "manage.py import_incidents"
BAD_ROWS_SHOWN = 50


class Command(BaseCommand):
    help = "Import incidents from a records-system export (CSV or JSON lines) through a profile."

    def add_arguments(self, parser):
        parser.add_argument("file", help="the export: a .csv or .jsonl file")
        parser.add_argument("--agency", required=True, help="the agency's slug")
        parser.add_argument(
            "--profile",
            required=True,
            help="a shipped profile (chicago, lapd, nibrs) or the path of your own .toml",
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

    def handle(self, *args, file, agency, profile, dry_run, strict, batch_size, **options):
        try:
            profile = load_profile(profile)
        except ProfileError as exc:
            raise CommandError(str(exc)) from None
        found = Agency.objects.filter(slug=agency).first()
        if found is None:
            raise CommandError(f"No agency with the slug {agency!r}.")
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        try:
            stream = open(file, "rb")  # noqa: SIM115 - closed below, after the import
        except OSError as exc:
            raise CommandError(f"Cannot open {file}: {exc.strerror}.") from None
        progress = None
        if self.stderr.isatty():
            progress = ProgressBar(self._draw, os.fstat(stream.fileno()).st_size)
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
            raise CommandError(str(exc)) from None
        finally:
            if progress:
                progress.close()
            stream.close()
        self._report(result)

    def _draw(self, text: str) -> None:
        self.stderr.write(text, style_func=str, ending="")
        self.stderr.flush()

    def _report(self, result) -> None:
        for bad in result.bad[:BAD_ROWS_SHOWN]:
            self.stderr.write(f"line {bad.line}: {bad.reason}")
        if result.bad_count > BAD_ROWS_SHOWN:
            self.stderr.write(f"... and {result.bad_count - BAD_ROWS_SHOWN:,} more bad rows.")
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
