"""Benchmark the demo data generator on a fresh, temporary SQLite database.

    .venv/bin/python bench/bench_demo.py --cases 10000

Sets HAVEN_VAR_DIR to a new temporary folder (so the database, keys and queue files are all
new and nothing in var/ is touched), migrates it, builds the demo with the real settings
(argon2, field encryption on), and prints cases per second and the seconds taken. The folder
is deleted afterwards unless --keep is given.
"""

import argparse
import os
import shutil
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=10_000, help="cases per agency (10000)")
    parser.add_argument("--agencies", type=int, default=1, help="agencies (1)")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    started = time.perf_counter()
    var_dir = tempfile.mkdtemp(prefix="haven-bench-")
    # Before Django reads its settings: a fresh SQLite file whatever the shell has set.
    os.environ["HAVEN_VAR_DIR"] = var_dir
    for name in ("HAVEN_DATABASE_URL", "HAVEN_TESTING"):
        os.environ.pop(name, None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "haven.settings"
    sys.path.insert(0, str(ROOT))
    try:
        return run(args, var_dir, started)
    finally:
        if args.keep:
            print(f"kept {var_dir}")
        else:
            shutil.rmtree(var_dir, ignore_errors=True)


def run(args: argparse.Namespace, var_dir: str, started: float) -> int:
    import django

    django.setup()
    from django.core.management import call_command

    import haven.lib.crypto as crypto
    from haven.demo.builder import build_demo, summary_line

    t = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    migrate_seconds = time.perf_counter() - t

    # Count what field encryption costs: EncryptedTextField.get_prep_value calls
    # crypto.encrypt for every non-empty value bulk_create writes.
    encrypt = crypto.encrypt
    spent = {"cpu": 0.0, "values": 0}

    def timed_encrypt(plaintext: str) -> str:
        before = time.process_time()
        token = encrypt(plaintext)
        spent["cpu"] += time.process_time() - before
        spent["values"] += 1
        return token

    crypto.encrypt = timed_encrypt
    wall, cpu = time.perf_counter(), time.process_time()
    try:
        results = build_demo(agencies=args.agencies, cases=args.cases, seed=args.seed)
    finally:
        crypto.encrypt = encrypt
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu

    cases = sum(r.counts["cases"] for r in results)
    rows = sum(n for r in results for key, n in r.counts.items() if key != "staff")
    timings: dict[str, float] = {}
    for result in results:
        for key, seconds in result.timings.items():
            timings[key] = timings.get(key, 0.0) + seconds
    generate = timings.pop("generate", 0.0)
    insert = sum(timings.values())

    print(f"Haven demo benchmark: {args.agencies} agency x {args.cases:,} cases, seed {args.seed}")
    print(f"  database:  fresh SQLite {sqlite3.sqlite_version} in {var_dir}")
    print(
        f"  python:    {sys.version.split()[0]}, Django {django.get_version()}, "
        f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at the end"
    )
    print(f"  migrate:   {migrate_seconds:.1f} s")
    for result in results:
        print(f"  {summary_line(result)}")
    print(f"  build:     {cases:,} cases ({rows:,} rows) in {wall:.1f} s wall, {cpu:.1f} s CPU")
    print(
        f"  split:     making rows {generate:.1f} s, bulk_create {insert:.1f} s "
        f"(of which encryption {spent['cpu']:.1f} s CPU for {spent['values']:,} values)"
    )
    slowest = sorted(timings.items(), key=lambda item: -item[1])[:3]
    print("  slowest:   " + ", ".join(f"{key} {seconds:.1f} s" for key, seconds in slowest))
    print(
        f"  RESULT:    {cases / wall:,.0f} cases/s wall ({cases / cpu:,.0f} per CPU second); "
        f"total {time.perf_counter() - started:.1f} s"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
