"""The operator's way to set an agency's identity provider (the coordinator has /sso/settings/).

The client secret is read from a file (or - for standard input) or from the environment
variable HAVEN_SSO_CLIENT_SECRET, never from the command line where `ps` and shell history
would keep it. Options left out keep their current value.
"""

import os
import sys

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from haven.agencies.models import Agency
from haven.core.actor import Actor
from haven.core.scoping import agency_scope
from haven.sso.selectors import provider_of
from haven.sso.services import SsoSettings, sso_settings_save

ACTOR_LABEL = "manage.py sso_configure"


def _on_off(value: str) -> bool:
    if value not in ("on", "off"):
        raise CommandError(f"Expected on or off, not {value!r}.")
    return value == "on"


class Command(BaseCommand):
    help = "Set an agency's OpenID Connect provider for single sign-on (docs/sso.md)."

    def add_arguments(self, parser):
        parser.add_argument("--agency", required=True, help="the agency's slug")
        parser.add_argument("--issuer", help="the provider's issuer address")
        parser.add_argument("--client-id")
        parser.add_argument(
            "--client-secret-file",
            help="a file holding the client secret, or - to read it from standard input "
            "(else HAVEN_SSO_CLIENT_SECRET)",
        )
        parser.add_argument("--email-domains", help="comma-separated, e.g. riversidepd.gov")
        parser.add_argument("--enabled", choices=["on", "off"])
        parser.add_argument("--local-passwords", choices=["on", "off"])

    def handle(self, *args, **options):
        agency = Agency.objects.filter(slug=options["agency"]).first()
        if agency is None:
            raise CommandError(f"No agency with the slug {options['agency']!r}.")
        current = provider_of(agency)
        secret = os.environ.get("HAVEN_SSO_CLIENT_SECRET", "")
        if options["client_secret_file"] == "-":
            secret = sys.stdin.readline()
        elif options["client_secret_file"]:
            try:
                with open(options["client_secret_file"], encoding="utf-8") as f:
                    secret = f.read()
            except OSError as exc:
                raise CommandError(f"Cannot read the client secret file: {exc}") from None

        def pick(option, attr, default):
            if options[option] is not None:
                return options[option]
            return getattr(current, attr) if current is not None else default

        settings = SsoSettings(
            issuer=pick("issuer", "issuer", ""),
            client_id=pick("client_id", "client_id", ""),
            client_secret=secret.strip(),
            email_domains=pick("email_domains", "email_domains", ""),
            enabled=_on_off(options["enabled"])
            if options["enabled"]
            else (current.enabled if current else False),
            allow_local_passwords=_on_off(options["local_passwords"])
            if options["local_passwords"]
            else (current.allow_local_passwords if current else True),
        )
        with agency_scope(agency):
            try:
                provider = sso_settings_save(
                    actor=Actor.system(agency, ACTOR_LABEL), settings=settings
                )
            except ValidationError as exc:
                problems = "; ".join(
                    f"{field}: {' '.join(messages)}" for field, messages in exc.message_dict.items()
                )
                raise CommandError(problems) from None
        state = "on" if provider.enabled else "off"
        passwords = "allowed" if provider.allow_local_passwords else "refused"
        self.stdout.write(
            f"{agency.name}: single sign-on {state} through {provider.issuer}; "
            f"Haven passwords {passwords}."
        )
