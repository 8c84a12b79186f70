from django.core.management.base import BaseCommand, CommandError

from haven.audit.selectors import chains, verify_chain


class Command(BaseCommand):
    help = "Verify the hash chains of the access log; exit 1 naming the first broken entry."

    def add_arguments(self, parser):
        parser.add_argument("--chain", help="check one chain only (an agency id, or 'system')")

    def handle(self, *args, chain=None, **options):
        total = 0
        for name in [chain] if chain else chains():
            checked, broken = verify_chain(name)
            total += checked
            if broken:
                raise CommandError(f"Audit log broken at {broken}.")
        self.stdout.write(f"Audit log intact: {total} events verified.")
