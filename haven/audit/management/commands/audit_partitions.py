from django.core.management.base import CommandError
from django.db import DatabaseError

from haven.audit.partitions import ensure_months, is_partitioned, partitions
from haven.core.commands import RoutineCommand


class Command(RoutineCommand):
    help = (
        "PostgreSQL: create the access log's monthly partitions from this month to --ahead "
        "months on, and move events that landed in its DEFAULT partition into their month "
        "(the worker does this every night). Lists the partitions. Nothing to do on SQLite."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--ahead", type=int, default=3, help="months to create past this one (default 3)"
        )

    def handle(self, *args, ahead=3, **options):
        if ahead < 0:
            raise CommandError("--ahead is a number of months, 0 or more.")
        if not is_partitioned():
            self.stdout.write("The access log is one table here (SQLite): nothing to do.")
            return
        try:
            created = ensure_months(ahead=ahead)
        except DatabaseError as exc:
            raise CommandError(f"Could not create the access log's partitions: {exc}") from None
        for month in created:
            moved = ""
            if month.moved:
                events = "event" if month.moved == 1 else "events"
                moved = f", {month.moved} {events} moved in from the default partition"
            self.stdout.write(f"Created {month.name}{moved}.")
        names = partitions()
        self.stdout.write(f"The access log has {len(names)} partitions: {', '.join(names)}.")
