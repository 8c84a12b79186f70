"""`manage.py partners_export --agency SLUG --out FILE`: write an agency's partner directory as
an Open Referral HSDS tabular data package (.zip), which partners_import reads back."""

from django.core.management.base import CommandError

from haven.agencies.models import Agency
from haven.core.actor import Actor
from haven.core.commands import RoutineCommand
from haven.core.scoping import agency_scope
from haven.partners.hsds import hsds_export

ACTOR_LABEL = "manage.py partners_export"


class Command(RoutineCommand):
    help = "Export an agency's partner directory as an HSDS data package (.zip)."

    def add_arguments(self, parser):
        parser.add_argument("--agency", required=True, help="the agency's slug")
        parser.add_argument("--out", required=True, help="where to write the .zip")

    def handle(self, *args, agency, out, **options):
        found = Agency.objects.filter(slug=agency).first()
        if found is None:
            raise CommandError(f"No agency with the slug {agency!r}.")
        with agency_scope(found):
            data = hsds_export(actor=Actor.system(found, ACTOR_LABEL))
        try:
            with open(out, "wb") as handle:
                handle.write(data)
        except OSError as exc:
            raise CommandError(f"Cannot write {out}: {exc.strerror}.") from None
        self.stdout.write(f"Wrote {out} ({len(data)} bytes).")
