from haven.core.commands import RoutineCommand
from haven.core.planner_statistics import refresh_planner_statistics


class Command(RoutineCommand):
    help = (
        "Gather the database's query-planner statistics (ANALYZE). The worker does it every "
        "night; run it after loading a large import or restoring a backup."
    )

    def handle(self, *args, **options):
        refresh_planner_statistics()
        self.stdout.write("Planner statistics refreshed.")
