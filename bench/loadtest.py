"""A statewide installation on real parts under load: `make loadtest`.

    .venv/bin/python bench/loadtest.py                                  # 200 staff, 5 minutes
    LOADTEST_USERS=50 LOADTEST_DURATION=60s .venv/bin/python bench/loadtest.py   # quicker

1. Builds once, and reuses after, a generated state on PostgreSQL: the demo's first agency
   (Riverside) as the big city with LOADTEST_CITY_CASES cases, and LOADTEST_AGENCIES - 1 more
   agencies of LOADTEST_CASES cases each (`manage.py demo`, which skips agencies already
   loaded). The database is LOADTEST_DATABASE_URL (postgres://postgres@127.0.0.1:5432/
   haven_loadtest); its keys and files are kept in LOADTEST_DIR (var/loadtest). A database
   built with other sizes is dropped and built again (LOADTEST_REBUILD=1 forces it).
2. With LOADTEST_REPLICA_DATABASE_URL (a streaming replica of that database), the app servers
   read the reports from it (HAVEN_REPLICA_DATABASE_URL). Unset, there is no replica.
3. Starts two separate gunicorn app servers (LOADTEST_WEB_WORKERS sync workers each, 2) and
   two huey workers (one with the periodic tasks, one without), on Redis
   (LOADTEST_REDIS_URL, redis://127.0.0.1:6379/7), with production settings and Django's
   psycopg connection pool.
4. Runs locust headless (bench/locustfile.py) with LOADTEST_USERS simulated staff (200)
   started at LOADTEST_SPAWN_RATE a second (5) for LOADTEST_DURATION (5m), half on each app
   server, and prints requests, failures, p50 and p95 per page, and the load average.

The figures are kept in docs/performance.md, "Load test".
"""

import csv
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
BIN = Path(PYTHON).parent


def env_int(name: str, default: int) -> int:
    return int(os.environ.get(name) or default)


DATABASE_URL = os.environ.get(
    "LOADTEST_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/haven_loadtest"
)
REDIS_URL = os.environ.get("LOADTEST_REDIS_URL", "redis://127.0.0.1:6379/7")
STATE_DIR = Path(os.environ.get("LOADTEST_DIR") or ROOT / "var" / "loadtest")
AGENCIES = env_int("LOADTEST_AGENCIES", 80)
CITY_CASES = env_int("LOADTEST_CITY_CASES", 20_000)
CASES = env_int("LOADTEST_CASES", 500)
USERS = env_int("LOADTEST_USERS", 200)
SPAWN_RATE = float(os.environ.get("LOADTEST_SPAWN_RATE") or 5)
DURATION = os.environ.get("LOADTEST_DURATION") or "5m"
WEB_WORKERS = env_int("LOADTEST_WEB_WORKERS", 2)

# Which accounts the simulated staff use, and the last names they search for (written by this
# script from the database, so the searches find someone).
USERS_SCRIPT = r"""
import json, random, sys
from datetime import date
from haven.agencies.models import Membership
from haven.core.scoping import all_agencies
from haven.people.models import Person
from haven.reports.pmt import Quarter

random.seed(2026)
quarter = str(Quarter.containing(date.today()).previous)
wanted = {"advocate", "supervisor", "coordinator", "analyst"}
with all_agencies():
    names = {}
    for person in Person.objects.order_by("?")[:4000]:
        names.setdefault(person.agency_id, []).append(person.last_name)
    rows = []
    members = Membership.objects.filter(is_active=True, role__in=wanted)
    for m in members.select_related("user", "agency"):
        rows.append({
            "username": m.user.username, "role": m.role, "agency": m.agency.slug,
            "last_names": names.get(m.agency_id, [])[:5], "quarter": quarter,
        })
# The big city's staff first: it has most of them; then the others in turn.
random.shuffle(rows)
rows.sort(key=lambda r: r["agency"] != "riverside")
with open(sys.argv[1], "w") as out:
    for row in rows:
        out.write(json.dumps(row) + "\n")
print(f"{len(rows)} staff accounts written")
"""


def load() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def haven_env() -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("HAVEN_")}
    env |= {
        "DJANGO_SETTINGS_MODULE": "haven.settings",
        "HAVEN_VAR_DIR": str(STATE_DIR),
        "HAVEN_DATABASE_URL": DATABASE_URL,
        "HAVEN_REDIS_URL": REDIS_URL,
        "HAVEN_LOG_LEVEL": "ERROR",
    }
    if os.environ.get("LOADTEST_REPLICA_DATABASE_URL"):
        env["HAVEN_REPLICA_DATABASE_URL"] = os.environ["LOADTEST_REPLICA_DATABASE_URL"]
    for name in ("HAVEN_DATABASE_POOL", "HAVEN_DATABASE_POOL_MIN", "HAVEN_DATABASE_POOL_MAX"):
        if name in os.environ:
            env[name] = os.environ[name]
    return env


def manage(*args: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(
        [PYTHON, "manage.py", *args], env=haven_env(), cwd=ROOT, check=True, **kwargs
    )


def database_admin(sql: str) -> None:
    import psycopg

    base, _, name = DATABASE_URL.rpartition("/")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(sql.format(name=name))


def build() -> None:
    STATE_DIR.mkdir(parents=True, exist_ok=True)
    marker = STATE_DIR / "built.json"
    wanted = {"agencies": AGENCIES, "city": CITY_CASES, "cases": CASES, "db": DATABASE_URL}
    if (
        marker.exists()
        and json.loads(marker.read_text()) == wanted
        and not os.environ.get("LOADTEST_REBUILD")
    ):
        print(f"reusing the state in {DATABASE_URL} ({wanted})")
        manage("migrate", "--noinput", "-v", "0")
        manage("refresh_statistics")  # as the worker's nightly task would have
        return
    marker.unlink(missing_ok=True)
    database_admin('DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    database_admin('CREATE DATABASE "{name}"')
    started = time.perf_counter()
    manage("migrate", "--noinput", "-v", "0")
    print(f"migrated in {time.perf_counter() - started:.0f} s (load {load()})")
    manage("demo", "--agencies", "1", "--cases", str(CITY_CASES))
    if AGENCIES > 1:
        manage("demo", "--agencies", str(AGENCIES), "--cases", str(CASES))
    took = time.perf_counter() - started
    print(f"state built in {took:.0f} s (load {load()})")
    marker.write_text(json.dumps(wanted))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(cmd: list[str], log: Path) -> subprocess.Popen:
    return subprocess.Popen(
        cmd,
        env=haven_env(),
        cwd=ROOT,
        start_new_session=True,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )


def wait_healthy(url: str, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(f"{url}/accounts/login/", timeout=10) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise TimeoutError(f"{url} did not answer")
        time.sleep(0.5)


def stop(processes: list[subprocess.Popen]) -> None:
    for process in processes:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
    for process in processes:
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def report(prefix: Path) -> int:
    """Print requests, failures, p50 and p95 per page; return the number of failures."""
    with open(f"{prefix}_stats.csv") as stats:
        rows = list(csv.DictReader(stats))
    print(
        f"\n{'page':<20} {'requests':>9} {'failures':>9} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}"
    )
    failures = 0
    for row in rows:
        name = row["Name"] if row["Name"] != "Aggregated" else "all pages"
        print(
            f"{name:<20} {row['Request Count']:>9} {row['Failure Count']:>9} "
            f"{row['50%']:>8} {row['95%']:>8} {row['99%']:>8}"
        )
        if row["Name"] == "Aggregated":
            failures = int(row["Failure Count"])
    return failures


def main() -> int:
    sys.stdout.reconfigure(line_buffering=True)  # the figures as they come, also into a file
    print(f"load average at start: {load()}")
    build()
    users_file = STATE_DIR / "users.jsonl"
    manage("shell", "-c", USERS_SCRIPT.replace("sys.argv[1]", repr(str(users_file))))
    logs = STATE_DIR / "logs"
    logs.mkdir(exist_ok=True)
    ports = [free_port(), free_port()]
    hosts = [f"http://127.0.0.1:{port}" for port in ports]
    processes = []
    try:
        for number, port in enumerate(ports, 1):
            processes.append(
                start(
                    [str(BIN / "gunicorn"), "haven.wsgi", "--bind", f"127.0.0.1:{port}"]
                    + ["--workers", str(WEB_WORKERS), "--log-level", "warning", "--timeout", "120"],
                    logs / f"web{number}.log",
                )
            )
        processes.append(
            start([PYTHON, "manage.py", "run_huey", "--workers", "2"], logs / "worker1.log")
        )
        processes.append(
            start(
                [PYTHON, "manage.py", "run_huey", "--workers", "2", "--no-periodic"],
                logs / "worker2.log",
            )
        )
        for host in hosts:
            wait_healthy(host)
        print(
            f"2 app servers ({WEB_WORKERS} workers each) at {', '.join(hosts)}, 2 huey workers; "
            f"{USERS} staff for {DURATION} (load {load()})"
        )
        prefix = STATE_DIR / "locust"
        env = dict(os.environ) | {
            "LOADTEST_HOSTS": ",".join(hosts),
            "LOADTEST_USERS_FILE": str(users_file),
        }
        subprocess.run(
            [str(BIN / "locust"), "-f", str(ROOT / "bench" / "locustfile.py"), "--headless"]
            + ["--users", str(USERS), "--spawn-rate", str(SPAWN_RATE), "--run-time", DURATION]
            + ["--host", hosts[0], "--csv", str(prefix), "--only-summary", "--loglevel", "WARNING"]
            + ["--stop-timeout", "30"],
            env=env,
            cwd=ROOT,
        )
        failures = report(prefix)
        print(f"\nload average at the end: {load()}; failures: {failures}")
        return 1 if failures else 0
    finally:
        stop(processes)


if __name__ == "__main__":
    sys.exit(main())
