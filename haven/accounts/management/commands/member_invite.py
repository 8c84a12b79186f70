"""python manage.py member_invite --agency SLUG --email EMAIL --role ROLE"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from haven.accounts.services import invitation_create
from haven.agencies.models import Agency
from haven.agencies.roles import Role
from haven.core.actor import Actor
from haven.core.scoping import agency_scope


def _message(exc: ValidationError) -> str:
    if hasattr(exc, "error_dict"):
        return " ".join(" ".join(msgs) for msgs in exc.message_dict.values())
    return " ".join(exc.messages)


class Command(BaseCommand):
    help = "Invite a person to an agency with a role; prints (and emails) their one-time link."

    def add_arguments(self, parser):
        parser.add_argument("--agency", required=True, help="the agency's short name (slug)")
        parser.add_argument("--email", required=True)
        parser.add_argument("--role", required=True, help=", ".join(Role.values))
        parser.add_argument("--site-url", default="")

    def handle(self, *args, **options):
        agency = Agency.objects.filter(slug=options["agency"]).first()
        if agency is None:
            raise CommandError(f"No agency {options['agency']!r}: see manage.py agency_create.")
        if options["role"] not in Role.values:
            raise CommandError(
                f"No role {options['role']!r}: choose one of {', '.join(Role.values)}."
            )
        base_url = options["site_url"] or settings.SITE_URL or "http://127.0.0.1:8000"
        with agency_scope(agency):
            try:
                invitation, link = invitation_create(
                    actor=Actor.system(agency, "manage.py member_invite"),
                    email=options["email"],
                    role=options["role"],
                    base_url=base_url,
                )
            except ValidationError as exc:
                raise CommandError(_message(exc)) from None
        self.stdout.write(
            f"Invited {invitation.email} to {agency.name} as {options['role']}. Their link "
            f"(also emailed; works once, until {invitation.expires_at:%Y-%m-%d %H:%M} UTC):"
        )
        self.stdout.write(link)
