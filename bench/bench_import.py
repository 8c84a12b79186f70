"""Benchmark the incident import on a big city's year, in a fresh temporary SQLite database.

    .venv/bin/python bench/bench_import.py --rows 250000
    .venv/bin/python bench/bench_import.py --rows 2000 --nightly [--protocols]
    HAVEN_DATABASE_URL=postgres://postgres@127.0.0.1:5432/NAME \
        .venv/bin/python bench/bench_import.py --rows 250000

With HAVEN_DATABASE_URL set it runs in a fresh PostgreSQL database made beside the one it names
(and dropped after); the floor, plain sqlite3, is not run there.

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

from bench_messages import fresh_postgres  # a new PostgreSQL database, dropped after

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
        "--migrated",
        metavar="DIR",
        help="start from the empty database saved by --save-migrated DIR instead of migrating "
        "a new one (quicker on a loaded machine; migrate still runs, with nothing to do)",
    )
    parser.add_argument(
        "--save-migrated",
        metavar="DIR",
        help="copy the freshly migrated, empty database into DIR, for --migrated DIR later",
    )
    parser.add_argument("--profile", action="store_true", help="cProfile the first import")
    parser.add_argument(
        "--protocols",
        action="store_true",
        help="with --nightly: the agency also has Haven's starting protocols, so each outreach "
        "case starts the one its rule names",
    )
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


def add_outreach_staff(agency, actor, *, protocols: bool = False) -> None:
    """The starter outreach rules and 20 advocates, each serving one of the districts; with
    `protocols`, Haven's starting protocols first, which the starter rules then name."""
    from django.contrib.auth import get_user_model

    from haven.agencies.models import District, Membership
    from haven.agencies.roles import Role
    from haven.core.scoping import agency_scope
    from haven.outreach.services import outreach_rules_start
    from haven.protocols.services import protocol_templates_start

    with agency_scope(agency):
        if protocols:
            protocol_templates_start(actor=actor)
        outreach_rules_start(actor=actor)
        districts = list(District.objects.filter(agency=agency).order_by("code"))
        for n in range(20):
            user = get_user_model().objects.create(username=f"advocate{n}", first_name=f"A{n}")
            Membership.objects.create(
                agency=agency, user=user, role=Role.ADVOCATE, district=districts[n]
            )


FLOOR_TABLES = ("incidents_incident", "incidents_incidentoffense", "incidents_incidentperson")


def floor_import(export: Path, schema: list[str], db_path: Path, batch_size: int) -> dict:
    """The raw floor: read the same file with csv.reader and insert the same rows (incidents,
    offenses, people) with sqlite3 into tables and indexes created from Haven's own schema,
    `batch_size` rows per transaction, in plain Python. What it leaves out is what Haven adds:
    the profile's maps and checks, the keyed digest, the comparison with stored reports,
    matching, run counters and the audit event."""
    wall, cpu = time.perf_counter(), time.process_time()
    db = sqlite3.connect(db_path, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")  # as Haven's own connection (settings.py)
    for sql in schema:
        db.execute(sql)
    now = datetime.now().isoformat(sep=" ")
    districts = {f"{n:03d}": n for n in range(1, 26)}
    incident_sql = (
        "INSERT INTO incidents_incident (agency_id, report_number, reported_at, occurred_at, "
        "district_id, district_code, beat, location, exported_status, exported_detective, "
        "investigation_status, detective, domestic_violence, weapon, firearm, source_profile, "
        "source_hash, imported_at, updated_at) "
        "VALUES (1, ?, ?, ?, ?, ?, ?, ?, '', '', '', '', ?, ?, ?, 'chicago', ?, ?, ?)"
    )
    offense_sql = (
        "INSERT INTO incidents_incidentoffense (agency_id, incident_id, code, description, "
        "nibrs_code) VALUES (1, ?, ?, ?, '')"
    )
    person_sql = (
        "INSERT INTO incidents_incidentperson (agency_id, incident_id, position, role, "
        "first_name, last_name, age_band, sex, race_ethnicity, phone, email, link_source) "
        "VALUES (1, ?, ?, 'victim', '', '', '', 'not_reported', 'not_reported', '', '', '')"
    )

    def when(text: str) -> str:  # "03/14/2025 11:52:00 PM" -> "2025-03-14 23:52:00"
        hour = int(text[11:13]) % 12 + (12 if text[20:22] == "PM" else 0)
        return f"{text[6:10]}-{text[0:2]}-{text[3:5]} {hour:02d}{text[13:19]}"

    def write(reports: dict) -> None:
        db.execute("BEGIN")
        db.executemany(
            incident_sql,
            [
                (
                    number, when(r[2]), when(r[2]), districts.get(r[11]), r[11], r[10],
                    f"{r[3]} {r[7]}", r[9] == "true", "HANDGUN" in r[6], "HANDGUN" in r[6],
                    "", now, now,
                )
                for number, (r, _) in reports.items()
            ],
        )  # fmt: skip
        marks = ",".join("?" * len(reports))
        ids = dict(
            db.execute(
                "SELECT report_number, id FROM incidents_incident "  # noqa: S608
                f"WHERE agency_id = 1 AND report_number IN ({marks})",
                list(reports),
            )
        )
        db.executemany(
            offense_sql,
            [(ids[n], r[4], f"{r[5]}: {r[6]}") for n, (r, _) in reports.items()],
        )
        db.executemany(
            person_sql,
            [(ids[n], p) for n, (_, copies) in reports.items() for p in range(1, copies + 1)],
        )
        db.execute("COMMIT")

    rows = 0
    with open(export, newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        next(reader)
        reports: dict = {}
        in_batch = 0
        for row in reader:
            rows += 1
            number = row[1]
            if number in reports:
                reports[number][1] += 1
                continue
            if in_batch >= batch_size:
                write(reports)
                reports, in_batch = {}, 0
            reports[number] = [row, 1]
            in_batch += 1
        write(reports)
    written = sum(
        db.execute(f"SELECT count(*) FROM {t}").fetchone()[0]  # noqa: S608
        for t in FLOOR_TABLES
    )
    db.close()
    return {
        "rows": rows,
        "written": written,
        "wall": time.perf_counter() - wall,
        "cpu": time.process_time() - cpu,
    }


def haven_schema() -> list[str]:
    """CREATE TABLE and CREATE INDEX of the three tables an import fills, as migrated."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT sql FROM sqlite_master WHERE tbl_name IN (%s, %s, %s) AND sql IS NOT NULL "
            "ORDER BY type DESC",
            FLOOR_TABLES,
        )
        # Tables first ("table" > "index"), without the foreign keys to tables not copied.
        return [sql.replace(" DEFERRABLE INITIALLY DEFERRED", "") for (sql,) in cursor.fetchall()]


def timed_outreach():
    """Wrap the outreach rules' apply to time it (wall and CPU) across an import."""
    from haven.outreach.decisions import Outreach

    spent = {"wall": 0.0, "cpu": 0.0}
    original = Outreach.apply

    def apply(self, report_numbers):
        wall, cpu = time.perf_counter(), time.process_time()
        try:
            return original(self, report_numbers)
        finally:
            spent["wall"] += time.perf_counter() - wall
            spent["cpu"] += time.process_time() - cpu

    Outreach.apply = apply
    return spent


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def main(argv=None) -> int:
    args = parse_args(argv)
    var_dir = tempfile.mkdtemp(prefix="haven-bench-import-")
    # Before Django reads its settings: a fresh database whatever the shell has set.
    os.environ["HAVEN_VAR_DIR"] = var_dir
    os.environ.pop("HAVEN_TESTING", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "haven.settings"
    drop = None
    if os.environ.get("HAVEN_DATABASE_URL"):
        if args.migrated or args.save_migrated:
            raise SystemExit("--migrated and --save-migrated are for SQLite only.")
        os.environ["HAVEN_DATABASE_URL"], drop = fresh_postgres(
            os.environ["HAVEN_DATABASE_URL"], "bench_import"
        )
    sys.path.insert(0, str(ROOT))
    try:
        return run(args, Path(var_dir))
    finally:
        if drop:
            drop()
        if args.keep:
            print(f"kept {var_dir}")
        else:
            shutil.rmtree(var_dir, ignore_errors=True)


def run(args, var_dir: Path) -> int:
    export = var_dir / "crimes.csv"
    t = time.perf_counter()
    reports = write_export(export, args.rows, args.seed, nightly=args.nightly)
    generate_seconds = time.perf_counter() - t
    if args.migrated:
        shutil.copyfile(Path(args.migrated) / "haven.sqlite3", var_dir / "haven.sqlite3")

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from haven.agencies.models import Agency, District
    from haven.audit.selectors import verify_chain
    from haven.cases.models import Case
    from haven.core.actor import Actor
    from haven.core.scoping import agency_scope
    from haven.incidents.models import Incident, IncidentPerson
    from haven.incidents.profile import load_profile
    from haven.incidents.services import incidents_import

    t = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    migrate_seconds = time.perf_counter() - t
    if args.save_migrated:
        Path(args.save_migrated).mkdir(parents=True, exist_ok=True)
        source = sqlite3.connect(var_dir / "haven.sqlite3")
        copy = sqlite3.connect(Path(args.save_migrated) / "haven.sqlite3")
        source.backup(copy)
        copy.close()
        source.close()
    load_start = os.getloadavg()[0]
    # The floor first, on the same file, in the same process, before Haven's import.
    floor = None
    if connection.vendor == "sqlite":
        floor = floor_import(export, haven_schema(), var_dir / "floor.sqlite3", args.batch_size)
    agency = Agency.objects.create(name="Bench PD", slug="bench", time_zone="America/Chicago")
    with agency_scope(agency):
        District.objects.bulk_create(
            District(agency=agency, code=f"{n:03d}", name=f"District {n}") for n in range(1, 26)
        )
    actor = Actor.system(agency, "bench/bench_import.py")
    outreach_spent = None
    if args.nightly:
        add_outreach_staff(agency, actor, protocols=args.protocols)
        outreach_spent = timed_outreach()
    profile = load_profile("chicago")
    size = export.stat().st_size
    quarters: dict[int, float] = {}
    # (rows read, wall, CPU) each time progress is reported: the rate per tenth of the file.
    marks: list[tuple[int, float, float]] = []

    def progress(position: int, rows: int) -> None:
        quarter = min(4, int(4 * position / size))
        quarters.setdefault(quarter, peak_mib())
        marks.append((rows, time.perf_counter(), time.process_time()))

    def timed_import(**extra):
        with agency_scope(agency), open(export, "rb") as stream:
            wall, cpu = time.perf_counter(), time.process_time()
            marks.append((0, wall, cpu))
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
    if args.profile:
        import cProfile
        import pstats

        profiler = cProfile.Profile(time.process_time)
        profiler.enable()
    first, wall, cpu = timed_import(progress=progress)
    if args.profile:
        profiler.disable()
        stats = pstats.Stats(profiler)
        stats.sort_stats("tottime").print_stats(30)
        stats.sort_stats("cumulative").print_stats(40)
    tenths = rate_by_tenth(marks, args.rows, args.batch_size)
    outreach = dict(outreach_spent or {})
    second, wall2, cpu2 = timed_import()
    with agency_scope(agency):
        incidents, people = Incident.objects.count(), IncidentPerson.objects.count()
        cases = Case.objects.count()
    events, chain_break = verify_chain(str(agency.pk))
    chain_ok = chain_break is None

    print(f"Haven import benchmark: {args.rows:,} rows, Chicago layout, seed {args.seed}")
    if connection.vendor == "sqlite":
        print(f"  database:  fresh SQLite {sqlite3.sqlite_version} in {var_dir}")
    else:
        name = connection.settings_dict["NAME"]
        print(f"  database:  fresh PostgreSQL {connection.pg_version // 10000} ({name})")
    print(
        f"  python:    {sys.version.split()[0]}, Django {django.get_version()}, "
        f"{os.cpu_count()} CPUs, load average {load_start:.1f} at the start, "
        f"{os.getloadavg()[0]:.1f} at the end"
    )
    print(
        f"  file:      {size / 2**20:.0f} MiB, {reports:,} reports, written in "
        f"{generate_seconds:.1f} s; migrate {migrate_seconds:.1f} s"
    )
    if floor:
        print(
            f"  floor:     csv.reader + sqlite3 executemany, {floor['written']:,} rows written; "
            f"{floor['wall']:.1f} s wall, {floor['cpu']:.1f} s CPU"
        )
    else:
        print("  floor:     not run (plain sqlite3, for an SQLite run only)")
    print(
        f"  import:    {first.new:,} new, {first.bad_count} bad; {incidents:,} incidents, "
        f"{people:,} people; {wall:.1f} s wall, {cpu:.1f} s CPU; audit chain of {events:,} "
        f"events {'verifies' if chain_ok else f'BROKEN: {chain_break}'}"
    )
    print("  per tenth: rows/s wall (CPU) " + ", ".join(f"{w:,.0f} ({c:,.0f})" for w, c in tenths))
    if floor:
        own = 1e6 * (cpu - floor["cpu"]) / args.rows
        print(f"  own work:  {own:.1f} µs of CPU per row beyond the floor's")
    print(
        f"  again:     {second.unchanged:,} unchanged, {second.new + second.updated} written; "
        f"{wall2:.1f} s wall, {cpu2:.1f} s CPU"
    )
    if args.nightly:
        opened = first.cases_opened
        print(
            f"  outreach:  {opened:,} cases opened ({cases:,} in all), "
            f"{first.outreach_held:,} held; again: {second.cases_opened} opened; "
            f"rules ran {outreach['wall']:.2f} s wall, {outreach['cpu']:.2f} s CPU"
        )
        if opened:
            print(
                f"  per case:  {1000 * outreach['wall'] / opened:.1f} ms wall, "
                f"{1000 * outreach['cpu'] / opened:.1f} ms CPU per case opened"
            )
    marks_text = ", ".join(f"{25 * q}% {mib:.0f}" for q, mib in sorted(quarters.items()) if q)
    print(f"  memory:    peak RSS (MiB) before {before:.0f}; at {marks_text}; end {peak_mib():.0f}")
    result = (
        f"  RESULT:    {args.rows / wall:,.0f} rows/s first import ({args.rows / cpu:,.0f} per "
        f"CPU s), {args.rows / wall2:,.0f} rows/s re-import"
    )
    if floor:
        result += (
            f"; floor {args.rows / floor['wall']:,.0f} rows/s ({args.rows / floor['cpu']:,.0f} "
            f"per CPU s): {wall / floor['wall']:.1f}x the floor wall, {cpu / floor['cpu']:.1f}x CPU"
        )
    print(f"{result}; peak RSS {peak_mib():.0f} MiB")
    return 0 if chain_ok else 1


def rate_by_tenth(
    marks: list[tuple[int, float, float]], rows: int, batch_size: int
) -> list[tuple[float, float]]:
    """Rows per second (wall, CPU) over each tenth of the file, from the progress marks.

    A batch is written when the row after it is read, so a tenth cut at any mark holds one
    batch's write or two (25,000 rows in batches of 2,000: the fifth and the ninth tenth held
    two, and ran at two thirds of the others' rate). Each tenth therefore ends at the first mark
    after its last batch was written: the first at or past its goal that is PROGRESS_EVERY rows
    into a batch."""
    from haven.incidents.importer import PROGRESS_EVERY

    rates = []
    start = marks[0]
    for tenth in range(1, 11):
        goal = rows * tenth / 10
        after_write = (
            m for m in marks if m[0] >= goal and m[0] % batch_size == PROGRESS_EVERY % batch_size
        )
        end = next(after_write, marks[-1])
        if end[0] > start[0]:
            n = end[0] - start[0]
            rates.append((n / max(end[1] - start[1], 1e-9), n / max(end[2] - start[2], 1e-9)))
            start = end
    return rates


if __name__ == "__main__":
    raise SystemExit(main())
