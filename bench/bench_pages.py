"""Benchmark the pages a specialist opens all day: a case, the outreach queue, My caseload, the
case list.

    .venv/bin/python bench/bench_pages.py --cases 35000
    .venv/bin/python bench/bench_pages.py --cases 5000 --requests 100 --seconds 10   # quick
    .venv/bin/python bench/bench_pages.py --cases 2000 --in-process --cpu 40   # CPU only

Builds (once; kept in var/bench-pages-N/ and reused) an SQLite demo database with
`manage.py migrate` and `manage.py demo --cases N`, then with production settings:

1. in this process, signs the demo advocate in (Django's test client, `force_login`) and
   counts each page's queries with `CaptureQueriesContext` (with `--cpu N`, times N requests
   of each page in CPU time, and the case page again with its body rendered afresh each time,
   as after a change to the case; `--in-process` stops there);
2. starts gunicorn with 2 workers as `make run` does (and the huey worker beside it), with a
   session and CSRF cookies for the same advocate (as a browser holds them: the case page's
   body is reused only for a browser with a CSRF cookie), and times each page for one user,
   one request after the other (`--requests`, after 10 to warm up): p50, p95, mean;
3. sends the case page from 50 connections at once (`--concurrency`) for `--seconds`:
   requests per second and p95; then the same against a one-file Django hello-world on the same
   gunicorn (the floor), and prints the ratio.

The machine's load average is printed beside the figures: on a shared machine they move.
"""

import argparse
import http.client
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
GUNICORN = str(Path(PYTHON).parent / "gunicorn")


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=35_000, help="demo cases (35000)")
    parser.add_argument("--requests", type=int, default=200, help="timed requests per page")
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=20, help="length of each load run")
    parser.add_argument("--port", type=int, default=0, help="port (a free one)")
    parser.add_argument("--rebuild", action="store_true", help="build the database again")
    parser.add_argument("--var", help="the database folder (var/bench-pages-N)")
    parser.add_argument("--no-worker", action="store_true", help="do not start the huey worker")
    parser.add_argument(
        "--cpu", type=int, default=0, metavar="N",
        help="also time N requests per page in this process (CPU ms per request)",
    )  # fmt: skip
    parser.add_argument(
        "--in-process", action="store_true", help="only the in-process figures (no gunicorn)"
    )
    parser.add_argument("--profile", metavar="FILE", help="cProfile the case page's --cpu runs")
    return parser.parse_args(argv)


def load() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def build(var_dir: Path, cases: int, rebuild: bool) -> None:
    marker = var_dir / "built"
    if marker.exists() and not rebuild:
        print(f"reusing {var_dir}")
        manage = [PYTHON, str(ROOT / "manage.py")]
        env = bench_env(var_dir)
        subprocess.run([*manage, "migrate", "--noinput", "-v", "0"], env=env, check=True)
        # As the worker's nightly task would have (a database built before it existed has none).
        subprocess.run([*manage, "refresh_statistics"], env=env, check=True)
        return
    shutil.rmtree(var_dir, ignore_errors=True)
    var_dir.mkdir(parents=True)
    env = bench_env(var_dir)
    started = time.perf_counter()
    manage = [PYTHON, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--noinput", "-v", "0"], env=env, check=True)
    subprocess.run([*manage, "demo", "--cases", str(cases)], env=env, check=True)
    marker.touch()
    print(f"built {var_dir} in {time.perf_counter() - started:.0f} s (load {load()})")


def bench_env(var_dir: Path) -> dict:
    env = dict(os.environ)
    for name in ("HAVEN_DATABASE_URL", "HAVEN_TESTING", "HAVEN_DEBUG"):
        env.pop(name, None)
    env["HAVEN_VAR_DIR"] = str(var_dir)
    env["DJANGO_SETTINGS_MODULE"] = "haven.settings"
    return env


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def get(port, path, cookie="", timeout=60):
    """One GET on a new connection (gunicorn's sync workers close each one); (status, bytes,
    seconds)."""
    started = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path, headers={"Cookie": cookie} if cookie else {})
        response = conn.getresponse()
        body = response.read()
    finally:
        conn.close()
    return response.status, len(body), time.perf_counter() - started


def wait_up(port, path="/", seconds=120):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            get(port, path, timeout=5)
            return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"nothing answers on port {port}")


def one_user(port, path, cookie, requests):
    for _ in range(10):
        status, size, _ = get(port, path, cookie)
        if status != 200:
            raise SystemExit(f"{path} answered {status}")
    times = [get(port, path, cookie)[2] * 1000 for _ in range(requests)]
    return {
        "p50": pct(times, 50),
        "p95": pct(times, 95),
        "mean": statistics.fmean(times),
        "bytes": size,
    }


def many_users(port, path, cookie, concurrency, seconds):
    stop = time.monotonic() + seconds
    times: list[float] = []
    errors = [0]
    lock = threading.Lock()

    def user():
        while time.monotonic() < stop:
            try:
                status, _, took = get(port, path, cookie)
            except OSError:
                status, took = 0, 0
            with lock:
                if status == 200:
                    times.append(took * 1000)
                else:
                    errors[0] += 1

    started = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        for _ in range(concurrency):
            pool.submit(user)
    wall = time.perf_counter() - started
    return {
        "rps": len(times) / wall,
        "p50": pct(times, 50) if times else 0,
        "p95": pct(times, 95) if times else 0,
        "done": len(times),
        "errors": errors[0],
    }


def start(cmd, env):
    return subprocess.Popen(cmd, env=env, cwd=ROOT, start_new_session=True)


def stop(process):
    try:
        os.killpg(process.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def in_process(var_dir: Path, cpu_requests: int = 0, profile: str | None = None):
    """Sign the advocate in, pick the case, count each page's queries (and with cpu_requests,
    time that many requests of each page on CPU); returns (cookie, {page: path},
    {page: queries}, {page: CPU ms per request})."""
    os.environ.update(bench_env(var_dir))
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from haven.agencies.demo import FIRST_SLUG
    from haven.agencies.models import Membership
    from haven.cases.models import Case
    from haven.core.scoping import all_agencies

    with all_agencies():
        member = Membership.objects.select_related("user").get(
            agency__slug=FIRST_SLUG, user__username="advocate"
        )
        # A case of the advocate's, open, with the most casework among their first 200: the
        # page at its heaviest for a case someone works on.
        cases = Case.objects.filter(assigned_to=member, status="active")
        case = max(
            cases.order_by("pk")[:200],
            key=lambda c: (c.contacts.count() + c.notes.count() + c.tasks.count(), -c.pk),
        )
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(member.user)
    paths = {
        "case page": reverse("cases:detail", args=[case.pk]),
        "queue": reverse("outreach:queue"),
        "caseload": reverse("cases:caseload"),
        "case list": reverse("cases:list"),
    }
    queries = {}
    for name, path in paths.items():
        client.get(path)  # warm: the first request loads templates and the URL resolver
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        queries[name] = len(ctx)
    cpu = {}
    for name, path in paths.items() if cpu_requests else ():
        cpu[name] = cpu_per_request(
            client, path, cpu_requests, profile if name == "case page" else None
        )
    if cpu_requests:  # the case page after a change: its body rendered, not from the cache
        cpu["case page, rendered"] = cpu_per_request(
            client, paths["case page"], cpu_requests, fresh=True
        )
    # Both cookies a browser holds: the session, and the CSRF secret the page's forms use (the
    # case page's body is reused only for a browser that has one, cases/page_cache.py).
    cookie = "; ".join(
        f"{name}={client.cookies[name].value}"
        for name in (settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME)
    )
    connection.close()
    return cookie, paths, queries, cpu


def cpu_per_request(client, path, requests, profile=None, fresh=False) -> dict:
    """CPU time of each of `requests` requests of a page through the test client: on a machine
    other work loads, CPU time moves far less than the wall clock. Median and p95, ms."""
    import cProfile

    profiler = cProfile.Profile() if profile else None
    from django.core.cache import caches

    times = []
    for _ in range(requests):
        if fresh:
            caches["case_pages"].clear()
        started = time.process_time()
        if profiler:
            profiler.enable()
        client.get(path)
        if profiler:
            profiler.disable()
        times.append((time.process_time() - started) * 1000)
    if profiler:
        profiler.dump_stats(profile)
    return {"p50": pct(times, 50), "p95": pct(times, 95)}


HELLO = ROOT / "bench" / "hello_wsgi.py"


def main(argv=None) -> int:
    args = parse_args(argv)
    var_dir = Path(args.var or ROOT / "var" / f"bench-pages-{args.cases}").resolve()
    build(var_dir, args.cases, args.rebuild)
    print(f"load before: {load()}")
    cookie, paths, queries, cpu = in_process(var_dir, args.cpu, args.profile)
    for name in paths:
        cpu_ms = (
            f", CPU {cpu[name]['p50']:.1f} / {cpu[name]['p95']:.1f} ms (p50 / p95)" if cpu else ""
        )
        print(f"{name:10} {queries[name]} queries{cpu_ms}")
    if "case page, rendered" in cpu:
        fresh = cpu["case page, rendered"]
        print(
            "case page rendered afresh (after a change): "
            f"CPU {fresh['p50']:.1f} / {fresh['p95']:.1f} ms"
        )
    print(f"load after the in-process runs: {load()}")
    if args.in_process:
        return 0
    env = bench_env(var_dir)
    port = args.port or free_port()
    bind = f"127.0.0.1:{port}"
    gunicorn = [GUNICORN, "--bind", bind, "--workers", "2", "--log-level", "warning"]
    processes = [start([*gunicorn, "haven.wsgi"], env)]
    if not args.no_worker:
        processes.append(start([PYTHON, "manage.py", "run_huey", "--workers", "2"], env))
    try:
        wait_up(port, "/healthz")
        print(f"load before: {load()}")
        print(f"{'page':10} {'queries':>7} {'p50 ms':>8} {'p95 ms':>8} {'mean ms':>8} {'KB':>6}")
        for name, path in paths.items():
            r = one_user(port, path, cookie, args.requests)
            print(
                f"{name:10} {queries[name]:7} {r['p50']:8.1f} {r['p95']:8.1f} {r['mean']:8.1f} "
                f"{r['bytes'] / 1024:6.0f}"
            )
        print(f"load after one-user runs: {load()}")
        case = many_users(port, paths["case page"], cookie, args.concurrency, args.seconds)
        print(
            f"case page, {args.concurrency} connections, {args.seconds:.0f} s: "
            f"{case['rps']:.1f} req/s, p50 {case['p50']:.0f} ms, p95 {case['p95']:.0f} ms, "
            f"{case['done']} done, {case['errors']} errors (load {load()})"
        )
    finally:
        for process in processes:
            stop(process)
    hello_port = free_port()
    hello = start(
        [GUNICORN, "--bind", f"127.0.0.1:{hello_port}", "--workers", "2", "--log-level",
         "warning", "--chdir", str(HELLO.parent), "hello_wsgi:application"],
        env,
    )  # fmt: skip
    try:
        wait_up(hello_port)
        floor = many_users(hello_port, "/", "", args.concurrency, args.seconds)
        print(
            f"hello-world, {args.concurrency} connections: {floor['rps']:.1f} req/s, "
            f"p95 {floor['p95']:.0f} ms, {floor['errors']} errors (load {load()})"
        )
    finally:
        stop(hello)
    ratio = floor["rps"] / case["rps"] if case["rps"] else float("inf")
    print(f"RESULT: case page throughput is 1/{ratio:.0f} of hello-world's")
    return 0


if __name__ == "__main__":
    sys.exit(main())
