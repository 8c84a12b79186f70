"""Benchmark the access log's monthly partitions on PostgreSQL (docs/scaling.md, "Partitioning
the access log").

    .venv/bin/python bench/bench_audit_partitions.py \\
        --database postgres://postgres@127.0.0.1:5432/haven_bench_partitions --rows 200000

It (re)creates the named database (everything in it is lost), migrates it, takes the access log
back to one plain table (audit 0008), fills it with `--rows` events of one chain spread over
`--months` months, and measures:

- the migration that partitions it (audit 0009): copying the rows, building the indexes;
- `--writes` chained events written one by one through `audit_record` (each its own
  transaction) with the uniqueness trigger that keeps (chain, seq) unique across months, and as
  many with that trigger disabled, in alternating rounds: the difference is what the trigger
  costs per write, with one partition per month;
- the trigger's check alone, 10,000 times in the database (a DO loop: no Python, no commit),
  against the same check on one partition;
- `audit_verify` of the chain.

The load average is printed beside the figures.
"""

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _recreate(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')


FILL = """
INSERT INTO audit_auditevent (chain, seq, at, actor_label, role, action, object_type,
    object_id, user_agent, reason, details, prev_hash, hash)
SELECT 'bench', n, %s::timestamptz - (%s - n) * %s * interval '1 second', 'bench', '',
    'data.load', '', '', '', '', '{}', '', md5(n::text)
FROM generate_series(1, %s) AS n
"""


# The query of the trigger audit_event_chain_seq_unique, 10,000 times.
CHECKS = """
DO $$ DECLARE taken boolean; BEGIN FOR n IN 1..10000 LOOP
    SELECT EXISTS (SELECT 1 FROM TABLE WHERE chain = 'bench' AND seq = n) INTO taken;
END LOOP; END $$
"""


def _writes(count: int) -> float:
    from django.db import transaction

    from haven.audit.models import AuditAction
    from haven.audit.services import audit_record

    start = time.perf_counter()
    for _ in range(count):
        with transaction.atomic():
            audit_record(actor=None, action=AuditAction.DATA_LOAD, actor_label="bench")
    return (time.perf_counter() - start) / count * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", required=True, help="a PostgreSQL URL; it is recreated")
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--months", type=int, default=24)
    parser.add_argument("--writes", type=int, default=2000)
    args = parser.parse_args()
    _recreate(args.database)
    os.environ["HAVEN_DATABASE_URL"] = args.database
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "haven.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from haven.audit.partitions import partitions
    from haven.audit.selectors import verify_chain

    print(f"load average before: {os.getloadavg()}")
    call_command("migrate", verbosity=0)
    call_command("migrate", "audit", "0008", verbosity=0)
    spacing = args.months * 30 * 86400 // args.rows
    with connection.cursor() as cursor:
        cursor.execute(FILL, [timezone.now(), args.rows, spacing, args.rows])
        cursor.execute("VACUUM ANALYZE audit_auditevent")
    start = time.perf_counter()
    call_command("migrate", "audit", verbosity=0)
    migrated = time.perf_counter() - start
    print(f"migration 0009: {args.rows} events in {migrated:.1f} s, {len(partitions())} partitions")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE audit_auditevent")
    _writes(50)  # warm up
    # Rounds alternate with and without the trigger, so a change in the machine's load
    # weighs on both.
    rounds, timings = 4, {True: [], False: []}
    for round_ in range(rounds * 2):
        enabled = round_ % 2 == 0
        with connection.cursor() as cursor:
            state = "ENABLE" if enabled else "DISABLE"
            cursor.execute(
                f"ALTER TABLE audit_auditevent {state} TRIGGER audit_event_chain_seq_unique"
            )
        timings[enabled].append(_writes(args.writes // rounds))
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER audit_event_chain_seq_unique")
    with_trigger, without = (sum(timings[k]) / rounds for k in (True, False))
    print(
        f"audit_record, {args.writes} chained writes: {with_trigger:.2f} ms each with the "
        f"(chain, seq) trigger, {without:.2f} ms without"
    )
    for table in ("audit_auditevent", "audit_auditevent_default"):
        start = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(CHECKS.replace("TABLE", table))
        each = (time.perf_counter() - start) / 10_000 * 1000
        print(f"the (chain, seq) check on {table}: {each:.3f} ms each")
    start = time.perf_counter()
    checked, broken = verify_chain("system")
    print(f"verify_chain('system'): {checked} events in {time.perf_counter() - start:.2f} s")
    print(f"load average after: {os.getloadavg()}")
    connection.close()


if __name__ == "__main__":
    main()
