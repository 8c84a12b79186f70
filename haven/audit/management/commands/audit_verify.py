from django.core.management.base import BaseCommand, CommandError

from haven.audit.selectors import chain_head, chains, verify_chain


class Command(BaseCommand):
    help = (
        "Verify the hash chains of the access log. Prints each chain's length and last hash "
        "(worth keeping outside Haven); exits 1 naming the first broken entry."
    )

    def add_arguments(self, parser):
        parser.add_argument("--chain", help="check one chain only (an agency id, or 'system')")

    def handle(self, *args, chain=None, **options):
        names = chains()
        if chain is not None:
            if chain not in names:
                raise CommandError(f"No audit chain named {chain!r}; chains: {', '.join(names)}.")
            names = [chain]
        total = 0
        for name in names:
            checked, broken = verify_chain(name)
            if broken:
                raise CommandError(f"Audit log broken at {broken}.")
            total += checked
            head = chain_head(name)
            last_hash = head.last_hash if head else ""
            self.stdout.write(f"chain {name}: {checked} events, last hash {last_hash}")
        self.stdout.write(f"Audit log intact: {total} events verified.")
