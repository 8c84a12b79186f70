"""Benchmark how long routine commands take to start, beyond their own work.

    .venv/bin/python bench/bench_commands.py --cases 200

In a new temporary folder (HAVEN_VAR_DIR, SQLite, production settings) it migrates and builds a
small demo agency (and a CSV of 50 police reports for `import_incidents --dry-run`), then for
each command (`pmt_report`, `audit_verify`, `import_incidents`, `partners_export`) measures,
`--runs` times (median printed):

- the whole process, `python manage.py <command> ...`, wall clock and CPU (user + system, of
  the child process, from `getrusage`);
- its own work: the same command through `call_command` in a process already set up, so the
  interpreter start, Django's set-up and any system checks are left out (wall and CPU);
- startup = the whole process minus its own work (the target: under 0.5 s);
- floors in the same run: `python -c pass` (the interpreter), a bare Django project (only
  Django's five contrib apps on SQLite, set up: what any Django command pays before it has a
  model of its own), the same with Haven's third-party apps (DRF, drf-spectacular, huey, axes,
  django-otp, django-htmx; no Haven app), and Haven's `django.setup()` alone.

The processes keep their compiled bytecode, as an installation does (its `__pycache__` folders
are written on first run): in a folder of the temporary one (PYTHONPYCACHEPREFIX), filled by a
first run that is not counted, even where PYTHONDONTWRITEBYTECODE is set, as it is in some
shells and containers, where each start would compile every module of Haven again (about 0.1 s
of CPU). `--no-bytecode-cache` measures with the environment as it is.

The load average is printed beside the figures: wall-clock time depends on what else the
machine is doing, CPU time much less (a busy machine still slows each CPU second somewhat).
"""

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_import import write_export  # the Chicago-layout CSV of bench/bench_import.py

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
        # A dry run, so every run reads the same 50 reports and writes nothing.
        "import_incidents": [
            "import_incidents",
            f"{out_dir}/reports.csv",
            "--agency",
            "riverside",
            "--profile",
            "chicago",
            "--dry-run",
        ],
        "partners_export": [
            "partners_export",
            "--agency",
            "riverside",
            "--out",
            f"{out_dir}/hsds.zip",
        ],
    }


CONTRIB = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]


def third_party_apps() -> list[str]:
    """haven/settings.py's apps that are neither Django's contrib apps nor Haven's own (huey
    through Haven's config, without the queue drivers it does not use, as Haven installs it)."""
    from haven import settings

    return [
        app
        for app in settings.INSTALLED_APPS
        if app not in CONTRIB and (not app.startswith("haven.") or app.endswith("HueyConfig"))
    ]


def bare_django(apps: list[str]) -> str:
    """A `python -c` program that sets up a Django project of these apps and nothing else."""
    return (
        "import django; from django.conf import settings; settings.configure("
        f"INSTALLED_APPS={apps!r}, USE_TZ=True, "
        "HUEY={'huey_class': 'huey.SqliteHuey', 'filename': ':memory:'}, "
        "DATABASES={'default': {'ENGINE': 'django.db.backends.sqlite3', 'NAME': ':memory:'}}); "
        "django.setup()"
    )


def children_cpu() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def run(argv: list[str], env: dict) -> tuple[float, float]:
    """One process: (wall, CPU) seconds."""
    cpu, start = children_cpu(), time.perf_counter()
    subprocess.run(argv, cwd=ROOT, env=env, check=True, capture_output=True)
    return time.perf_counter() - start, children_cpu() - cpu


def median_of(runs: int, fn) -> tuple[float, float]:
    """The median wall and the median CPU of `runs` calls of fn() -> (wall, cpu)."""
    found = [fn() for _ in range(runs)]
    return statistics.median(w for w, _ in found), statistics.median(c for _, c in found)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=200, help="demo cases (200)")
    parser.add_argument("--runs", type=int, default=5, help="runs of each measure (5)")
    parser.add_argument(
        "--no-bytecode-cache",
        action="store_true",
        help="leave PYTHONDONTWRITEBYTECODE and PYTHONPYCACHEPREFIX as the environment has them",
    )
    args = parser.parse_args(argv)

    var_dir = tempfile.mkdtemp(prefix="haven-bench-commands-")
    env = {k: v for k, v in os.environ.items() if k not in ("HAVEN_DATABASE_URL", "HAVEN_TESTING")}
    env.update(HAVEN_VAR_DIR=var_dir, DJANGO_SETTINGS_MODULE="haven.settings")
    if not args.no_bytecode_cache:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = os.path.join(var_dir, "pycache")
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
        write_export(Path(var_dir) / "reports.csv", rows=50, seed=2026)
        found = commands(var_dir)
        for command in found.values():  # compiles what migrate and demo did not import
            run([*manage, *command], env)
        sys.path.insert(0, str(ROOT))
        with_third_party = CONTRIB + third_party_apps()
        for apps in (CONTRIB, with_third_party):
            run([PYTHON, "-c", bare_django(apps)], env)

        import django
        from django.core.management import call_command

        django.setup()
        cache = "off" if args.no_bytecode_cache else "on"
        print(f"load average before: {os.getloadavg()[0]:.2f}; bytecode cache {cache}")
        floor = median_of(args.runs, lambda: run([PYTHON, "-c", "pass"], env))
        bare = median_of(args.runs, lambda: run([PYTHON, "-c", bare_django(CONTRIB)], env))
        third = median_of(
            args.runs, lambda: run([PYTHON, "-c", bare_django(with_third_party)], env)
        )
        setup = median_of(
            args.runs, lambda: run([PYTHON, "-c", "import django; django.setup()"], env)
        )
        print("seconds: wall / CPU")
        print(f"floor: interpreter {floor[0]:.3f} / {floor[1]:.3f}")
        print(f"floor: bare Django, contrib apps {bare[0]:.3f} / {bare[1]:.3f}")
        print(f"floor: + third-party apps {third[0]:.3f} / {third[1]:.3f}")
        print(f"floor: django.setup() {setup[0]:.3f} / {setup[1]:.3f}")
        print(f"{'command':<16} {'process':>15} {'own work':>15} {'startup':>15}")
        for name, command in found.items():
            whole = median_of(args.runs, lambda c=command: run([*manage, *c], env))

            def in_process(c=command):
                with open(os.devnull, "w") as sink:
                    cpu, start = time.process_time(), time.perf_counter()
                    call_command(*c, stdout=sink, stderr=sink)
                    return time.perf_counter() - start, time.process_time() - cpu

            in_process()  # first call warms imports the command makes lazily
            work = median_of(args.runs, in_process)
            print(
                f"{name:<16} {whole[0]:>6.3f} / {whole[1]:.3f} {work[0]:>6.3f} / {work[1]:.3f}"
                f" {whole[0] - work[0]:>6.3f} / {whole[1] - work[1]:.3f}"
            )
        print(f"load average after: {os.getloadavg()[0]:.2f}")
    finally:
        shutil.rmtree(var_dir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
