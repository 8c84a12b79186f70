"""On PostgreSQL the access log becomes a table partitioned by month of `at`
(docs/scaling.md, "Partitioning the access log"); SQLite keeps its one table.

The rows are copied into the new table and keep their ids; the id sequence goes on from the
old one. Every primary key and unique index of a partitioned table must hold the partition
key, so the key becomes (id, at), and `(chain, seq)` is unique within each month by a unique
index on each partition and across months by the trigger `audit_event_chain_seq_unique`,
which refuses an entry already present in any partition. A DEFAULT partition takes an event of
a month that has no partition yet, so no insert can fail for want of one; the worker creates
the months ahead and moves what landed in DEFAULT into its month (haven.audit.partitions).

The append-only trigger of 0002/0007/0008 is created again on the new table (the function is
unchanged); PostgreSQL clones it onto every partition, also those created or attached later.

The whole migration runs in one transaction holding the table's ACCESS EXCLUSIVE lock: on a
large log it takes as long as copying the table and building its indexes (docs/operations.md).
"""

from datetime import UTC, datetime

from django.db import migrations

TABLE = "audit_auditevent"
MONTHS_AHEAD = 3

# The indexes of the table that do not back a constraint (the model's indexes), with their
# definitions, to build them again on the new table under the same names.
PLAIN_INDEXES = """
SELECT i.relname, pg_get_indexdef(i.oid)
FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
WHERE x.indrelid = 'audit_auditevent'::regclass
  AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)
ORDER BY i.relname
"""

CHAIN_SEQ_UNIQUE = """
CREATE OR REPLACE FUNCTION audit_chain_seq_unique() RETURNS trigger AS $$
BEGIN
    -- Each partition's unique index keeps (chain, seq) unique within its month; this keeps it
    -- unique across months. It is not racy: every writer and every sealer of a chain first
    -- locks the chain's head row (audit_auditchainhead, haven.audit.services._lock_head) and
    -- holds it until commit, so no two transactions hand out places in one chain at once.
    IF NEW.seq IS NULL OR (TG_OP = 'UPDATE' AND NEW.seq IS NOT DISTINCT FROM OLD.seq) THEN
        RETURN NEW;
    END IF;
    IF EXISTS (SELECT 1 FROM {schema}.audit_auditevent WHERE chain = NEW.chain AND seq = NEW.seq)
    THEN
        RAISE EXCEPTION 'The audit chain % already has an entry %', NEW.chain, NEW.seq
            USING ERRCODE = 'unique_violation', CONSTRAINT = 'audit_chain_seq_unique';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_event_chain_seq_unique
    BEFORE INSERT OR UPDATE OF seq ON audit_auditevent
    FOR EACH ROW EXECUTE FUNCTION audit_chain_seq_unique();
CREATE TRIGGER audit_event_append_only
    BEFORE UPDATE OR DELETE ON audit_auditevent
    FOR EACH ROW EXECUTE FUNCTION audit_append_only();
"""


def _month_start(month: datetime, shift: int = 0) -> datetime:
    index = month.year * 12 + month.month - 1 + shift
    return datetime(index // 12, index % 12 + 1, 1, tzinfo=UTC)


def _create_partition(cursor, month: datetime) -> None:
    # DDL takes no parameters; the bounds are our own datetimes, written as literals.
    start, end = month.isoformat(), _month_start(month, 1).isoformat()
    cursor.execute(
        f"CREATE TABLE {TABLE}_{month:%Y_%m} PARTITION OF {TABLE} "
        f"FOR VALUES FROM ('{start}') TO ('{end}')"
    )


def _unique_per_partition(cursor) -> None:
    cursor.execute(
        "SELECT inhrelid::regclass::text FROM pg_inherits WHERE inhparent = %s::regclass",
        [TABLE],
    )
    for (partition,) in cursor.fetchall():
        cursor.execute(f"CREATE UNIQUE INDEX {partition}_chain_seq ON {partition} (chain, seq)")


def forward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(f"LOCK TABLE {TABLE} IN ACCESS EXCLUSIVE MODE")
        cursor.execute(PLAIN_INDEXES)
        indexes = [definition for _, definition in cursor.fetchall()]
        cursor.execute(f"ALTER TABLE {TABLE} RENAME TO {TABLE}_unpartitioned")
        cursor.execute(
            f"CREATE TABLE {TABLE} (LIKE {TABLE}_unpartitioned) PARTITION BY RANGE (at)"
        )
        # The id sequence goes on past every id the old one gave out.
        cursor.execute(f"CREATE SEQUENCE {TABLE}_id_seq_partitioned")
        cursor.execute(
            f"SELECT setval('{TABLE}_id_seq_partitioned', greatest("
            f"nextval(pg_get_serial_sequence('{TABLE}_unpartitioned', 'id')), "
            f"(SELECT coalesce(max(id), 0) + 1 FROM {TABLE}_unpartitioned)), false)"
        )
        cursor.execute(
            f"ALTER TABLE {TABLE} ALTER id SET DEFAULT nextval('{TABLE}_id_seq_partitioned')"
        )
        cursor.execute(f"CREATE TABLE {TABLE}_default PARTITION OF {TABLE} DEFAULT")
        cursor.execute(
            f"SELECT DISTINCT date_trunc('month', at, 'UTC') FROM {TABLE}_unpartitioned"
        )
        present = {row[0].astimezone(UTC) for row in cursor.fetchall()}
        now = _month_start(datetime.now(UTC))
        ahead = {_month_start(now, shift) for shift in range(MONTHS_AHEAD + 1)}
        for month in sorted(present | ahead):
            _create_partition(cursor, month)
        cursor.execute(f"INSERT INTO {TABLE} SELECT * FROM {TABLE}_unpartitioned")
        cursor.execute(f"DROP TABLE {TABLE}_unpartitioned")
        cursor.execute(f"ALTER SEQUENCE {TABLE}_id_seq_partitioned RENAME TO {TABLE}_id_seq")
        cursor.execute(f"ALTER SEQUENCE {TABLE}_id_seq OWNED BY {TABLE}.id")
        cursor.execute(f"ALTER TABLE {TABLE} ADD CONSTRAINT {TABLE}_pkey PRIMARY KEY (id, at)")
        for definition in indexes:
            cursor.execute(definition)
        _unique_per_partition(cursor)
        # The table named with its schema: pg_restore runs with an empty search_path, and a
        # partition's data restored alone (docs/scaling.md) fires this trigger.
        cursor.execute("SELECT quote_ident(current_schema())")
        cursor.execute(CHAIN_SEQ_UNIQUE.replace("{schema}", cursor.fetchone()[0]))


def backward(apps, schema_editor):
    """One plain table again, with every row of every attached partition (a detached,
    archived month stays where it is)."""
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(f"LOCK TABLE {TABLE} IN ACCESS EXCLUSIVE MODE")
        cursor.execute(PLAIN_INDEXES)
        # A partitioned table's index reads "ON ONLY"; on a plain table there is no ONLY.
        indexes = [d.replace(" ON ONLY ", " ON ") for _, d in cursor.fetchall()]
        cursor.execute(f"DROP TRIGGER audit_event_chain_seq_unique ON {TABLE}")
        cursor.execute("DROP FUNCTION audit_chain_seq_unique()")
        cursor.execute(f"ALTER TABLE {TABLE} RENAME TO {TABLE}_partitioned")
        cursor.execute(f"ALTER TABLE {TABLE}_partitioned DROP CONSTRAINT {TABLE}_pkey")
        cursor.execute(f"ALTER SEQUENCE {TABLE}_id_seq RENAME TO {TABLE}_id_seq_partitioned")
        for definition in indexes:  # frees the names
            cursor.execute(f"DROP INDEX {definition.split()[2]}")
        cursor.execute(f"CREATE TABLE {TABLE} (LIKE {TABLE}_partitioned)")
        cursor.execute(f"ALTER TABLE {TABLE} ALTER id ADD GENERATED BY DEFAULT AS IDENTITY")
        cursor.execute(f"INSERT INTO {TABLE} SELECT * FROM {TABLE}_partitioned")
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence('{TABLE}', 'id'), greatest("
            f"nextval('{TABLE}_id_seq_partitioned'), "
            f"(SELECT coalesce(max(id), 0) + 1 FROM {TABLE})), false)"
        )
        cursor.execute(f"DROP TABLE {TABLE}_partitioned")
        cursor.execute(f"ALTER TABLE {TABLE} ADD CONSTRAINT {TABLE}_pkey PRIMARY KEY (id)")
        cursor.execute(
            f"ALTER TABLE {TABLE} ADD CONSTRAINT audit_chain_seq_unique UNIQUE (chain, seq)"
        )
        for definition in indexes:
            cursor.execute(definition)
        cursor.execute(
            f"CREATE TRIGGER audit_event_append_only BEFORE UPDATE OR DELETE ON {TABLE} "
            "FOR EACH ROW EXECUTE FUNCTION audit_append_only()"
        )


class Migration(migrations.Migration):
    dependencies = [("audit", "0008_redaction")]
    operations = [migrations.RunPython(forward, backward)]
