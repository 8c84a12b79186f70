from django.core.management.base import BaseCommand

from haven.agencies.models import Agency, Membership
from haven.core.scoping import agency_scope
from haven.demo.builder import DEMO_PASSWORD, FIRST_SLUG, SIGN_INS


class Command(BaseCommand):
    help = "Print where Haven runs and the demo sign-ins of the first demo agency."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", default="8000")

    def handle(self, *args, host: str, port: str, **options):
        self.stdout.write(f"Haven is running at http://{host}:{port}/")
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
