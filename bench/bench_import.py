"""Benchmark the incident import on a big city's year, in a fresh temporary SQLite database.

    .venv/bin/python bench/bench_import.py --rows 250000
    .venv/bin/python bench/bench_import.py --rows 2000 --nightly

With --nightly the reports fall in the last 24 hours and the agency has the starter outreach
rules and 20 advocates spread over its districts: a night's push that opens outreach cases.

Writes a synthetic CSV in the City of Chicago open-data layout (the `chicago` profile) into a
new temporary folder, sets HAVEN_VAR_DIR to it (so the database and keys are new and nothing in
var/ is touched), migrates, and imports the file through the same service the
`import_incidents` command calls, with production settings. Then imports the same file again
(every report unchanged). Prints rows per second for both, and the peak resident memory at
each quarter of the first import, to show that it stays flat while the rows stream by.
"""

import argparse
import csv
import os
import random
import resource
import shutil
import sqlite3
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

HEADER = [
    "ID", "Case Number", "Date", "Block", "IUCR", "Primary Type", "Description",
    "Location Description", "Arrest", "Domestic", "Beat", "District", "Ward", "Community Area",
    "FBI Code", "X Coordinate", "Y Coordinate", "Year", "Updated On", "Latitude", "Longitude",
    "Location",
]  # fmt: skip
# (IUCR, primary type, description, FBI code, weight): roughly a year's mix in Chicago.
OFFENSES = [
    ("0820", "THEFT", "$500 AND UNDER", "06", 20),
    ("0486", "BATTERY", "DOMESTIC BATTERY SIMPLE", "08B", 14),
    ("1310", "CRIMINAL DAMAGE", "TO PROPERTY", "14", 10),
    ("0910", "MOTOR VEHICLE THEFT", "AUTOMOBILE", "07", 9),
    ("0460", "BATTERY", "SIMPLE", "08B", 8),
    ("0610", "BURGLARY", "FORCIBLE ENTRY", "05", 5),
    ("0560", "ASSAULT", "SIMPLE", "08A", 7),
    ("041A", "BATTERY", "AGGRAVATED - HANDGUN", "04B", 2),
    ("031A", "ROBBERY", "ARMED - HANDGUN", "03", 3),
    ("0281", "CRIMINAL SEXUAL ASSAULT", "NON-AGGRAVATED", "02", 1),
    ("0580", "STALKING", "SIMPLE", "26", 1),
    ("1320", "CRIMINAL DAMAGE", "TO VEHICLE", "14", 6),
    ("2820", "OTHER OFFENSE", "TELEPHONE THREAT", "26", 3),
    ("0110", "HOMICIDE", "FIRST DEGREE MURDER", "01A", 1),
]
PLACES = ["STREET", "APARTMENT", "RESIDENCE", "SIDEWALK", "PARKING LOT", "RESTAURANT", "ALLEY"]
STREETS = ["W HURON ST", "S HALSTED ST", "N CLARK ST", "S CENTRAL PARK AVE", "W 63RD ST"]


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=250_000, help="CSV rows (250000)")
    parser.add_argument("--batch-size", type=int, default=2000, help="rows per transaction")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument(
        "--nightly",
        action="store_true",
        help="reports from the last 24 hours, starter outreach rules and advocates",
    )
    return parser.parse_args(argv)


def write_export(path: Path, rows: int, seed: int, *, nightly: bool = False) -> int:
    """A Chicago-layout CSV of `rows` rows; homicides are two adjacent rows (two victims) of
    one case, as in the real export. Returns the number of reports."""
    rng = random.Random(seed)
    weights = [o[4] for o in OFFENSES]
    start = datetime(2025, 1, 1)
    span = 365 * 24 * 3600
    if nightly:  # local (Chicago) time, minus a margin so none is in the future
        start, span = datetime.now() - timedelta(hours=30), 24 * 3600
    reports = 0
    with open(path, "w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(HEADER)
        written = 0
        while written < rows:
            reports += 1
            iucr, kind, description, fbi, _ = rng.choices(OFFENSES, weights)[0]
            when = start + timedelta(seconds=rng.randrange(span))
            district = rng.randint(1, 25)
            lat, lon = 41.65 + rng.random() * 0.37, -87.85 + rng.random() * 0.33
            row = [
                10_000_000 + written,
                f"JJ{reports:06d}",
                when.strftime("%m/%d/%Y %I:%M:%S %p"),
                f"{rng.randint(0, 130):03d}XX {rng.choice(STREETS)}",
                iucr,
                kind,
                description,
                rng.choice(PLACES),
                rng.choice(["true", "false"]),
                "true" if iucr == "0486" or rng.random() < 0.05 else "false",
                f"{district:02d}{rng.randint(11, 35)}",
                f"{district:03d}",
                rng.randint(1, 50),
                rng.randint(1, 77),
                fbi,
                rng.randint(1_100_000, 1_200_000),
                rng.randint(1_800_000, 1_950_000),
                when.year,
                (when + timedelta(days=7)).strftime("%m/%d/%Y %I:%M:%S %p"),
                f"{lat:.6f}",
                f"{lon:.6f}",
                f"({lat:.6f}, {lon:.6f})",
            ]
            copies = 2 if iucr == "0110" else 1
            for _ in range(min(copies, rows - written)):
                out.writerow(row)
                written += 1
    return reports


def add_outreach_staff(agency, actor) -> None:
    """The starter outreach rules and 20 advocates, each serving one of the districts."""
    from django.contrib.auth import get_user_model

    from haven.agencies.models import District, Membership
    from haven.agencies.roles import Role
    from haven.core.scoping import agency_scope
    from haven.outreach.services import outreach_rules_start

    with agency_scope(agency):
        outreach_rules_start(actor=actor)
        districts = list(District.objects.filter(agency=agency).order_by("code"))
        for n in range(20):
            user = get_user_model().objects.create(username=f"advocate{n}", first_name=f"A{n}")
            Membership.objects.create(
                agency=agency, user=user, role=Role.ADVOCATE, district=districts[n]
            )


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def main(argv=None) -> int:
    args = parse_args(argv)
    var_dir = tempfile.mkdtemp(prefix="haven-bench-import-")
    # Before Django reads its settings: a fresh SQLite file whatever the shell has set.
    os.environ["HAVEN_VAR_DIR"] = var_dir
    for name in ("HAVEN_DATABASE_URL", "HAVEN_TESTING"):
        os.environ.pop(name, None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "haven.settings"
    sys.path.insert(0, str(ROOT))
    try:
        return run(args, Path(var_dir))
    finally:
        if args.keep:
            print(f"kept {var_dir}")
        else:
            shutil.rmtree(var_dir, ignore_errors=True)


def run(args, var_dir: Path) -> int:
    export = var_dir / "crimes.csv"
    t = time.perf_counter()
    reports = write_export(export, args.rows, args.seed, nightly=args.nightly)
    generate_seconds = time.perf_counter() - t

    import django

    django.setup()
    from django.core.management import call_command

    from haven.agencies.models import Agency, District
    from haven.cases.models import Case
    from haven.core.actor import Actor
    from haven.core.scoping import agency_scope
    from haven.incidents.models import Incident, IncidentPerson
    from haven.incidents.profile import load_profile
    from haven.incidents.services import incidents_import

    t = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    migrate_seconds = time.perf_counter() - t
    agency = Agency.objects.create(name="Bench PD", slug="bench", time_zone="America/Chicago")
    with agency_scope(agency):
        District.objects.bulk_create(
            District(agency=agency, code=f"{n:03d}", name=f"District {n}") for n in range(1, 26)
        )
    actor = Actor.system(agency, "bench/bench_import.py")
    if args.nightly:
        add_outreach_staff(agency, actor)
    profile = load_profile("chicago")
    size = export.stat().st_size
    quarters: dict[int, float] = {}

    def progress(position: int, rows: int) -> None:
        quarter = min(4, int(4 * position / size))
        quarters.setdefault(quarter, peak_mib())

    def timed_import(**extra):
        with agency_scope(agency), open(export, "rb") as stream:
            wall, cpu = time.perf_counter(), time.process_time()
            result = incidents_import(
                actor=actor,
                profile=profile,
                stream=stream,
                file_name=export.name,
                batch_size=args.batch_size,
                **extra,
            )
            return result, time.perf_counter() - wall, time.process_time() - cpu

    before = peak_mib()
    first, wall, cpu = timed_import(progress=progress)
    second, wall2, cpu2 = timed_import()
    with agency_scope(agency):
        incidents, people = Incident.objects.count(), IncidentPerson.objects.count()
        cases = Case.objects.count()

    print(f"Haven import benchmark: {args.rows:,} rows, Chicago layout, seed {args.seed}")
    print(f"  database:  fresh SQLite {sqlite3.sqlite_version} in {var_dir}")
    print(
        f"  python:    {sys.version.split()[0]}, Django {django.get_version()}, "
        f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at the end"
    )
    print(
        f"  file:      {size / 2**20:.0f} MiB, {reports:,} reports, written in "
        f"{generate_seconds:.1f} s; migrate {migrate_seconds:.1f} s"
    )
    print(
        f"  import:    {first.new:,} new, {first.bad_count} bad; {incidents:,} incidents, "
        f"{people:,} people; {wall:.1f} s wall, {cpu:.1f} s CPU"
    )
    print(
        f"  again:     {second.unchanged:,} unchanged, {second.new + second.updated} written; "
        f"{wall2:.1f} s wall, {cpu2:.1f} s CPU"
    )
    if args.nightly:
        print(
            f"  outreach:  {first.cases_opened:,} cases opened ({cases:,} in all), "
            f"{first.outreach_held:,} held; again: {second.cases_opened} opened"
        )
    marks = ", ".join(f"{25 * q}% {mib:.0f}" for q, mib in sorted(quarters.items()) if q)
    print(f"  memory:    peak RSS (MiB) before {before:.0f}; at {marks}; end {peak_mib():.0f}")
    print(
        f"  RESULT:    {args.rows / wall:,.0f} rows/s first import, "
        f"{args.rows / wall2:,.0f} rows/s re-import; peak RSS {peak_mib():.0f} MiB"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
