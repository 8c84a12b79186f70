"""python manage.py operator_invite --email EMAIL: someone who runs this installation."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from haven.accounts.management.commands.member_invite import _message
from haven.accounts.services import operator_invite


class Command(BaseCommand):
    help = (
        "Make an operator of this installation (agencies, suspensions; never cases) and print "
        "their one-time set-up link."
    )

    def add_arguments(self, parser):
        parser.add_argument("--email", required=True)
        parser.add_argument("--site-url", default="")

    def handle(self, *args, **options):
        base_url = options["site_url"] or settings.SITE_URL or "http://127.0.0.1:8000"
        try:
            invitation, link = operator_invite(
                email=options["email"], invited_by="manage.py operator_invite", base_url=base_url
            )
        except ValidationError as exc:
            raise CommandError(_message(exc)) from None
        self.stdout.write(f"Operator link for {invitation.email} (works once, 72 hours):")
        self.stdout.write(link)
