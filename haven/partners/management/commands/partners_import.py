"""`manage.py partners_import --agency SLUG FILE`: import an Open Referral HSDS tabular data
package (.zip) into one agency's partner directory. All or nothing; see haven/partners/hsds.py
and docs/partners.md."""

from django.core.management.base import CommandError

from haven.agencies.models import Agency
from haven.core.actor import Actor
from haven.core.commands import RoutineCommand
from haven.core.scoping import agency_scope
from haven.partners.hsds import ImportRefused, hsds_import

ACTOR_LABEL = "manage.py partners_import"


class Command(RoutineCommand):
    help = "Import an HSDS data package (.zip with datapackage.json) into an agency's directory."

    def add_arguments(self, parser):
        parser.add_argument("file", help="the HSDS data package, a .zip")
        parser.add_argument("--agency", required=True, help="the agency's slug")

    def handle(self, *args, file, agency, **options):
        found = Agency.objects.filter(slug=agency).first()
        if found is None:
            raise CommandError(f"No agency with the slug {agency!r}.")
        try:
            with open(file, "rb") as handle:
                data = handle.read()
        except OSError as exc:
            raise CommandError(f"Cannot open {file}: {exc.strerror}.") from None
        with agency_scope(found):
            try:
                result = hsds_import(
                    actor=Actor.system(found, ACTOR_LABEL), data=data, file_name=file
                )
            except ImportRefused as exc:
                for error in exc.errors:
                    self.stderr.write(str(error))
                raise CommandError(str(exc)) from None
        self.stdout.write(f"Imported into {found.slug}: {result.summary()}.")
        if result.ignored_tables:
            self.stdout.write(f"Not kept by Haven: {', '.join(result.ignored_tables)}.")
