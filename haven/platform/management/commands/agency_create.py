"""python manage.py agency_create --slug SLUG --name NAME --timezone TZ --coordinator EMAIL"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from haven.platform.services import agency_create


class Command(BaseCommand):
    help = (
        "Create an agency with its starter settings and print (and email) the one-time set-up "
        "link of its first coordinator."
    )

    def add_arguments(self, parser):
        parser.add_argument("--slug", required=True, help="short name, e.g. riverside-pd")
        parser.add_argument("--name", required=True, help="the unit's name")
        parser.add_argument("--timezone", required=True, help="e.g. America/Chicago")
        parser.add_argument("--coordinator", required=True, help="the first coordinator's email")
        parser.add_argument(
            "--site-url",
            default="",
            help="the address staff open Haven at (default: HAVEN_SITE_URL, else "
            "http://127.0.0.1:8000)",
        )

    def handle(self, *args, **options):
        base_url = options["site_url"] or settings.SITE_URL or "http://127.0.0.1:8000"
        try:
            agency, invitation, link = agency_create(
                operator=None,
                slug=options["slug"],
                name=options["name"],
                time_zone=options["timezone"],
                coordinator_email=options["coordinator"],
                base_url=base_url,
            )
        except ValidationError as exc:
            raise CommandError(_message(exc)) from None
        self.stdout.write(f"Created {agency.name} ({agency.slug}, {agency.time_zone}).")
        self.stdout.write(
            f"Set-up link for {invitation.email} (also emailed; works once, until "
            f"{invitation.expires_at:%Y-%m-%d %H:%M} UTC):"
        )
        self.stdout.write(link)


def _message(exc: ValidationError) -> str:
    if hasattr(exc, "error_dict"):
        return " ".join(f"{field}: {' '.join(msgs)}" for field, msgs in exc.message_dict.items())
    return " ".join(exc.messages)
