"""Benchmark how long routine commands take to start, beyond their own work.

    .venv/bin/python bench/bench_commands.py --cases 200

In a new temporary folder (HAVEN_VAR_DIR, SQLite, production settings) it migrates and builds a
small demo agency, then for each command measures, `--runs` times (median printed):

- the whole process, `python manage.py <command> ...`, wall clock;
- its own work: the same command through `call_command` in a process already set up, so the
  interpreter start, Django's set-up and any system checks are left out;
- startup = the whole process minus its own work (the target: under 0.5 s);
- two floors in the same run: `python -c pass` (the interpreter) and `django.setup()` alone.

The load average is printed beside the figures: wall-clock time depends on what else the
machine is doing.
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


def commands(out_dir: str) -> dict[str, list[str]]:
    return {
        "pmt_report": [
            "pmt_report",
            "--agency",
            "riverside",
            "--quarter",
            "2026Q3",
            "--out",
            f"{out_dir}/pmt.csv",
        ],
        "audit_verify": ["audit_verify"],
        "partners_export": [
            "partners_export",
            "--agency",
            "riverside",
            "--out",
            f"{out_dir}/hsds.zip",
        ],
    }


def wall(argv: list[str], env: dict) -> float:
    start = time.perf_counter()
    subprocess.run(argv, cwd=ROOT, env=env, check=True, capture_output=True)
    return time.perf_counter() - start


def median_of(runs: int, fn) -> float:
    return statistics.median(fn() for _ in range(runs))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=200, help="demo cases (200)")
    parser.add_argument("--runs", type=int, default=5, help="runs of each measure (5)")
    args = parser.parse_args(argv)

    var_dir = tempfile.mkdtemp(prefix="haven-bench-commands-")
    env = {k: v for k, v in os.environ.items() if k not in ("HAVEN_DATABASE_URL", "HAVEN_TESTING")}
    env.update(HAVEN_VAR_DIR=var_dir, DJANGO_SETTINGS_MODULE="haven.settings")
    os.environ.update(HAVEN_VAR_DIR=var_dir, DJANGO_SETTINGS_MODULE="haven.settings")
    for name in ("HAVEN_DATABASE_URL", "HAVEN_TESTING"):
        os.environ.pop(name, None)
    try:
        manage = [PYTHON, "manage.py"]
        subprocess.run([*manage, "migrate", "-v0"], cwd=ROOT, env=env, check=True)
        subprocess.run(
            [*manage, "demo", "--agencies", "1", "--cases", str(args.cases)],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
        )
        found = commands(var_dir)

        sys.path.insert(0, str(ROOT))
        import django
        from django.core.management import call_command

        django.setup()
        print(f"load average before: {os.getloadavg()[0]:.2f}")
        floor = median_of(args.runs, lambda: wall([PYTHON, "-c", "pass"], env))
        setup = median_of(
            args.runs, lambda: wall([PYTHON, "-c", "import django; django.setup()"], env)
        )
        print(f"floor: interpreter {floor:.3f} s; django.setup() {setup:.3f} s")
        print(f"{'command':<16} {'process':>8} {'own work':>9} {'startup':>8}")
        for name, command in found.items():
            whole = median_of(args.runs, lambda c=command: wall([*manage, *c], env))

            def in_process(c=command):
                with open(os.devnull, "w") as sink:
                    start = time.perf_counter()
                    call_command(*c, stdout=sink)
                    return time.perf_counter() - start

            in_process()  # first call warms imports the command makes lazily
            work = median_of(args.runs, in_process)
            print(f"{name:<16} {whole:>7.3f}s {work:>8.3f}s {whole - work:>7.3f}s")
        print(f"load average after: {os.getloadavg()[0]:.2f}")
    finally:
        shutil.rmtree(var_dir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
