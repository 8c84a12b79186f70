from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError

from haven.agencies.models import Agency
from haven.core.actor import Actor
from haven.core.commands import RoutineCommand
from haven.core.scoping import agency_scope
from haven.reports.pmt import Quarter
from haven.reports.services import pmt_export


class Command(RoutineCommand):
    help = (
        "Write an agency's OVC PMT quarterly report (VOCA victim assistance). The quarter is a "
        "federal fiscal quarter: 2026Q3 is April 1 to June 30, 2026; 2026Q1 is October 1 to "
        "December 31, 2025. The file's extension (.csv or .xlsx) chooses the format."
    )

    def add_arguments(self, parser):
        parser.add_argument("--agency", required=True, help="the agency's slug")
        parser.add_argument("--quarter", required=True, help="federal fiscal quarter, e.g. 2026Q3")
        parser.add_argument("--out", required=True, help="the file to write (.csv or .xlsx)")

    def handle(self, *args, agency: str, quarter: str, out: str, **options):
        path = Path(out)
        fmt = path.suffix.lower().lstrip(".")
        if fmt not in ("csv", "xlsx"):
            raise CommandError("The output file must end in .csv or .xlsx.")
        found = Agency.objects.filter(slug=agency).first()
        if found is None:
            raise CommandError(f"No agency with the slug {agency!r}.")
        try:
            parsed = Quarter.parse(quarter)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        with agency_scope(found):
            data, _name = pmt_export(
                actor=Actor.system(found, "manage.py pmt_report"), quarter=parsed, fmt=fmt
            )
        path.write_bytes(data)
        self.stdout.write(f"Wrote {parsed.label} for {found.name} to {path}.")
