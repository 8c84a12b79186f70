import time

from django.core.management.base import BaseCommand, CommandError

from haven.core.planner_statistics import refresh_planner_statistics
from haven.demo.builder import DemoError, build_demo


class Command(BaseCommand):
    help = (
        "Load synthetic demo agencies (staff, people, a year of cases and casework). "
        "Safe to run again: an agency that already exists is skipped."
    )

    def add_arguments(self, parser):
        parser.add_argument("--agencies", type=int, default=1, help="how many agencies (1)")
        parser.add_argument("--cases", type=int, default=300, help="cases per agency (300)")
        parser.add_argument("--seed", type=int, default=2026, help="random seed (2026)")
        parser.add_argument(
            "--site-url",
            default="",
            help="the address links in demo texts start with (HAVEN_SITE_URL, else "
            "http://127.0.0.1:8000, what `make run` serves)",
        )

    def handle(self, *args, agencies: int, cases: int, seed: int, site_url: str, **options):
        if agencies < 1 or cases < 0:
            raise CommandError("Give at least one agency and zero or more cases.")
        started = time.perf_counter()
        try:
            results = build_demo(
                agencies=agencies, cases=cases, seed=seed, site_url=site_url, log=self.stdout.write
            )
        except DemoError as exc:
            raise CommandError(str(exc)) from None
        loaded = [r for r in results if not r.skipped]
        if loaded:
            refresh_planner_statistics()  # the list pages' plans depend on them
        total = sum(r.counts["cases"] for r in loaded)
        agencies_loaded = f"{len(loaded)} agenc{'y' if len(loaded) == 1 else 'ies'}"
        self.stdout.write(
            f"Demo data: {agencies_loaded} loaded ({total:,} cases), "
            f"{len(results) - len(loaded)} already there, in {time.perf_counter() - started:.1f} s."
        )
