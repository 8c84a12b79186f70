"""manage.py justice_import --agency SLUG FILE: court and custody events from a CSV feed,
all or nothing (haven/justice/importer.py, docs/justice.md)."""

from pathlib import Path

from django.core.management.base import CommandError
from django.utils import timezone

from haven.agencies.models import Agency
from haven.core.actor import Actor
from haven.core.commands import RoutineCommand
from haven.core.scoping import agency_scope
from haven.justice.importer import RowError, justice_import, read_csv


class Command(RoutineCommand):
    help = "Import court and custody events from a CSV feed into one agency."

    def add_arguments(self, parser):
        parser.add_argument("--agency", required=True, help="The agency's slug.")
        parser.add_argument("file", help="The CSV file.")

    def handle(self, *args, agency, file, **options):
        found = Agency.objects.filter(slug=agency).first()
        if found is None:
            raise CommandError(f"No agency {agency!r}.")
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No file {file}.")
        with agency_scope(found), timezone.override(found.tz):
            try:
                rows = read_csv(path.read_bytes())
            except (RowError, UnicodeDecodeError) as exc:
                raise CommandError(f"line 1: {exc}") from None
            actor = Actor.system(found, "manage.py justice_import")
            result = justice_import(actor=actor, rows=rows, source="csv", file_name=path.name)
        if result.bad:
            for bad in result.bad:
                self.stderr.write(f"line {bad.line}, {bad.field}: {bad.message}")
            raise CommandError(
                f"Nothing imported: {len(result.bad)} bad row(s) of {result.rows}. Fix them "
                "and run again."
            )
        self.stdout.write(
            f"{result.rows} rows: {result.created} new, {result.changed} changed, "
            f"{result.unchanged} unchanged; {result.obligations} rights obligations opened."
        )
