"""python manage.py agency_suspend --agency SLUG --reason WHY   (or --reactivate)"""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from haven.agencies.models import Agency
from haven.platform.management.commands.agency_create import _message
from haven.platform.services import agency_reactivate, agency_suspend


class Command(BaseCommand):
    help = (
        "Suspend an agency (sign-ins, API tokens, partner links refused; data kept), or "
        "reactivate it."
    )

    def add_arguments(self, parser):
        parser.add_argument("--agency", required=True, help="the agency's short name (slug)")
        parser.add_argument("--reason", default="", help="why (required to suspend)")
        parser.add_argument("--reactivate", action="store_true")

    def handle(self, *args, **options):
        agency = Agency.objects.filter(slug=options["agency"]).first()
        if agency is None:
            raise CommandError(f"No agency {options['agency']!r}.")
        try:
            if options["reactivate"]:
                agency_reactivate(operator=None, agency=agency)
            else:
                agency_suspend(operator=None, agency=agency, reason=options["reason"])
        except ValidationError as exc:
            raise CommandError(_message(exc)) from None
        state = "active again" if options["reactivate"] else "suspended"
        self.stdout.write(f"{agency.name} is {state}.")
