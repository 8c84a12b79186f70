"""Benchmark the reports: the dashboard's selector and the PMT quarterly report, on a year of
demo data in a fresh, temporary SQLite database.

    .venv/bin/python bench/bench_reports.py --cases 40000

Sets HAVEN_VAR_DIR to a new temporary folder, migrates it, builds one demo agency with
`haven.demo.builder.build_demo` (a year of cases, contacts, PMT services and survey answers),
then times, each run several times (best and median printed):

- `reports.selectors.dashboard` for the last twelve months, as a supervisor (exact numbers)
  and as an analyst (suppressed), and with a district filter;
- `reports.pmt.pmt_report` for the last full federal fiscal quarter, and writing it as CSV and
  as XLSX.

--keep keeps the folder; --reuse DIR times an already built folder again (to measure an index
before and after without rebuilding).
"""

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=40_000, help="cases (40000)")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--runs", type=int, default=5, help="runs of each measure (5)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument("--reuse", help="a folder kept by an earlier --keep run")
    return parser.parse_args(argv)


def main(argv=None) -> int:
    args = parse_args(argv)
    var_dir = args.reuse or tempfile.mkdtemp(prefix="haven-bench-reports-")
    os.environ["HAVEN_VAR_DIR"] = var_dir
    for name in ("HAVEN_DATABASE_URL", "HAVEN_TESTING"):
        os.environ.pop(name, None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "haven.settings"
    sys.path.insert(0, str(ROOT))
    try:
        return run(args, var_dir)
    finally:
        if args.keep or args.reuse:
            print(f"kept {var_dir}")
        else:
            shutil.rmtree(var_dir, ignore_errors=True)


def timed(label: str, runs: int, fn) -> None:
    seconds = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        seconds.append(time.perf_counter() - started)
    print(f"  {label:<44} best {min(seconds):6.3f} s   median {statistics.median(seconds):6.3f} s")


def run(args, var_dir: str) -> int:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db.models import Count
    from django.utils import timezone

    from haven.agencies.models import Agency, District, Membership
    from haven.assistance.models import ServiceProvided
    from haven.cases.models import Case, Contact
    from haven.core.actor import Actor
    from haven.core.scoping import agency_scope
    from haven.demo.builder import build_demo, summary_line
    from haven.reports import selectors
    from haven.reports.models import SurveyResponse
    from haven.reports.pmt import Quarter, pmt_csv, pmt_report, pmt_xlsx

    if not args.reuse:
        call_command("migrate", verbosity=0, interactive=False)
        started = time.perf_counter()
        [result] = build_demo(agencies=1, cases=args.cases, seed=args.seed)
        print(summary_line(result))
        print(f"  built in {time.perf_counter() - started:.1f} s")
    agency = Agency.objects.get(slug="riverside")
    with agency_scope(agency):
        sizes = {
            "cases": Case.objects.count(),
            "contacts": Contact.objects.count(),
            "services": ServiceProvided.objects.count(),
            "survey answers": SurveyResponse.objects.count(),
        }
        print("  rows: " + ", ".join(f"{n:,} {name}" for name, n in sizes.items()))
        supervisor = Actor.for_membership(
            Membership.objects.filter(agency=agency, role="supervisor").select_related("user")[0]
        )
        analyst = Actor.for_membership(
            Membership.objects.filter(agency=agency, role="analyst").select_related("user")[0]
        )
        today = timezone.now().astimezone(agency.tz).date()
        year = selectors.Filters.default(today)
        busiest = Case.objects.values_list("district").annotate(n=Count("id")).order_by("-n")[0][0]
        district = selectors.Filters(year.start, year.end, district_id=busiest)
        quarter = Quarter.containing(today).previous
        report = pmt_report(supervisor, quarter)
        print(
            f"  PMT {quarter}: {report.individuals:,} individuals, {report.new_individuals:,} new"
        )
        print(f"Timings ({args.runs} runs each; load average {os.getloadavg()[0]:.1f}):")
        timed(
            "dashboard, 12 months, supervisor",
            args.runs,
            lambda: selectors.dashboard(supervisor, year),
        )
        timed(
            "dashboard, 12 months, analyst (suppressed)",
            args.runs,
            lambda: selectors.dashboard(analyst, year),
        )
        timed(
            f"dashboard, 12 months, district {District.objects.get(pk=busiest).name}",
            args.runs,
            lambda: selectors.dashboard(supervisor, district),
        )
        timed(f"PMT report {quarter}", args.runs, lambda: pmt_report(supervisor, quarter))
        timed(
            f"PMT report {quarter} + CSV",
            args.runs,
            lambda: pmt_csv(pmt_report(supervisor, quarter)),
        )
        timed(
            f"PMT report {quarter} + XLSX",
            args.runs,
            lambda: pmt_xlsx(pmt_report(supervisor, quarter)),
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
