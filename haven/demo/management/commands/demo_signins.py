import json
import time
import urllib.error
import urllib.request

from django.conf import settings
from django.core.management.base import BaseCommand

from haven.agencies.models import Agency, Membership
from haven.core.scoping import agency_scope
from haven.demo.builder import DEMO_PASSWORD, FIRST_SLUG, SIGN_INS


class Command(BaseCommand):
    help = (
        "Print the demo sign-ins of the first demo agency, where mail goes, and where Haven "
        "runs (last, so it is what the terminal shows). With --wait, first wait until Haven "
        "answers /healthz at that address (`make run` does this)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", default="8000")
        parser.add_argument(
            "--wait",
            type=float,
            default=0,
            metavar="SECONDS",
            help="wait up to this long for the web server and the worker to be up",
        )

    def handle(self, *args, host: str, port: str, wait: float, **options):
        # 0.0.0.0 and :: mean "every address": this machine answers on 127.0.0.1.
        local = "127.0.0.1" if host in ("0.0.0.0", "::", "[::]") else host  # noqa: S104
        address = settings.SITE_URL.rstrip("/") + "/" if settings.SITE_URL else ""
        address = address or f"http://{local}:{port}/"
        problem = self._wait_until_healthy(f"http://{local}:{port}/healthz", wait) if wait else ""
        self._sign_ins()
        self._mail()
        if problem:
            self.stdout.write(self.style.WARNING(f"Haven is not fully up yet: {problem}"))
        self.stdout.write(self.style.SUCCESS(f"Haven is running at {address}"))
        if wait:
            self.stdout.write("Press Ctrl-C to stop it.")

    def _wait_until_healthy(self, url: str, wait: float) -> str:
        """Poll /healthz until it answers 200; return what is still wrong after `wait` seconds."""
        deadline = time.monotonic() + wait
        problem = "the web server does not answer"
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310
                    if response.status == 200:
                        return ""
            except urllib.error.HTTPError as exc:  # 503: up, but something is failing
                try:
                    body = json.loads(exc.read())
                    problem = "; ".join(
                        f"{name}: {body['checks'][name]}" for name in body.get("failing", [])
                    )
                except (ValueError, KeyError):
                    problem = f"/healthz answered {exc.code}"
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.5)
        return problem

    def _sign_ins(self) -> None:
        agency = Agency.objects.filter(slug=FIRST_SLUG).first()
        if agency is None:
            self.stdout.write("No demo agency loaded (run `manage.py demo` to add one).")
            return
        usernames = [username for username, _ in SIGN_INS]
        with agency_scope(agency):
            members = {
                m.user.username: m
                for m in Membership.objects.filter(
                    agency=agency, user__username__in=usernames, is_active=True
                ).select_related("user")
            }
        if not members:
            return
        width = max(len(name) for name in members) + 2
        self.stdout.write(f"\nDemo sign-ins for {agency.name}:")
        self.stdout.write(f"  {'username':<{width}}{'role':<13}password")
        for username in usernames:
            if username in members:
                role = members[username].get_role_display()
                self.stdout.write(f"  {username:<{width}}{role:<13}{DEMO_PASSWORD}")
        self.stdout.write("")

    def _mail(self) -> None:
        if settings.EMAIL_BACKEND.endswith("filebased.EmailBackend"):
            self.stdout.write(
                f"Mail is written to files in {settings.EMAIL_FILE_PATH}/ "
                "(set HAVEN_SMTP_HOST to send it)."
            )
        elif settings.EMAIL_BACKEND.endswith("console.EmailBackend"):
            self.stdout.write("Mail is printed here (set HAVEN_SMTP_HOST to send it).")
