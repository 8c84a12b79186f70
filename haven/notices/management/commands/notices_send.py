"""Send due messages to victims once and exit (the huey task does the same every minute).

manage.py notices_send --batch 100 --lease 600
"""

from datetime import timedelta

from django.core.management.base import BaseCommand

from haven.notices.services import LEASE, send_due


class Command(BaseCommand):
    help = "Claim and send due messages to victims, recovering claims of dead workers."

    def add_arguments(self, parser):
        parser.add_argument("--batch", type=int, default=100)
        parser.add_argument(
            "--lease",
            type=int,
            default=int(LEASE.total_seconds()),
            help="Seconds after which a claim still 'sending' is marked uncertain.",
        )

    def handle(self, *args, batch: int, lease: int, **options):
        sent = send_due(batch=batch, lease=timedelta(seconds=lease))
        self.stdout.write(f"Sent {sent} message(s).")
