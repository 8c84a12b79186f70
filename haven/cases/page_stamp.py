"""The case page's stamp: a random value the database changes whenever a row the case page shows
changes, so a rendered case page can be reused until then (cases/page_cache.py).

Database triggers set it, not services: an insert, update or delete of any row of a stamped table
gives the case it belongs to a new stamp, whoever wrote it (a view, the worker, a bulk update, an
import, a migration's data fix), so no code path can forget. A table whose rows hang on a case
(a `case_id` column) stamps that case; a table of a person's rows (`person_id`, or the person
itself) stamps every case the person is on, as victim or beside them.

Each app stamps its own tables in one of its migrations (`StampTables`), beside the section it
adds to the case page; `haven/cases/tests/test_page_stamp.py` fails when the case page reads a
table that nothing stamps and that is not on its list of reads that may lag (PAGE_READS_UNSTAMPED).

A stamp is random rather than counted so that it never repeats: not after a database is restored
from a backup, nor between tests that roll back. The SQL is built from the table and column names
the migrations give, never from input (hence the `noqa: S608`s).
"""

from django.db import migrations

STAMP_TABLE = "cases_casepagestamp"
TRIGGER_PREFIX = "case_page_stamp__"

CASE = "case"  # the table has a case_id column (or is the case table itself)
PERSON = "person"  # the table's rows belong to a person

# The tables the case page reads that stamp nothing, and why each may: what they change shows on
# a reused page within page_cache.LIFETIME, as on a page opened a minute earlier.
PAGE_READS_UNSTAMPED = {
    "django_session": "the reader's session, not the page",
    "auth_user": "the reader, and colleagues' names beside their work",
    "agencies_membership": "the reader (role in the key), and colleagues' names",
    "agencies_agency": "the agency's settings are in the key (page_cache.body_key)",
    "agencies_district": "a district's name",
    "followup_followuprule": "a follow-up rule's title and cadence, edited by a coordinator",
    "audit_auditevent": "the scene referral's answer, written with the case; the page's own read",
    STAMP_TABLE: "the stamp itself",
}

_SQLITE_NEW_STAMP = "lower(hex(randomblob(8)))"
_POSTGRES_NEW_STAMP = "replace(gen_random_uuid()::text, '-', '')"


def new_stamp_sql(vendor: str) -> str:
    """The SQL expression of a new random stamp on this database."""
    return _POSTGRES_NEW_STAMP if vendor == "postgresql" else _SQLITE_NEW_STAMP


# The rows each trigger reads: the new one, the old one, or both (an update may move a row to
# another case or person).
_ROWS = {"insert": ("NEW",), "update": ("NEW", "OLD"), "delete": ("OLD",)}


def _renew(new_stamp: str, table: str, column: str, scope: str, op: str) -> str:
    """The statement a trigger runs: a new stamp for the cases the changed row belongs to; the
    case's own stamp made with the case and dropped with it."""
    if table == "cases_case" and op == "insert":
        return (
            f"INSERT INTO {STAMP_TABLE} (case_id, stamp) VALUES (NEW.id, {new_stamp}) "  # noqa: S608
            "ON CONFLICT (case_id) DO UPDATE SET stamp = excluded.stamp;"
        )
    if table == "cases_case" and op == "delete":
        return f"DELETE FROM {STAMP_TABLE} WHERE case_id = OLD.id;"  # noqa: S608
    values = ", ".join(f"{row}.{column}" for row in _ROWS[op])
    if scope == PERSON:
        cases = (
            f"SELECT id FROM cases_case WHERE primary_victim_id IN ({values}) "  # noqa: S608
            f"UNION SELECT case_id FROM cases_caseperson WHERE person_id IN ({values})"
        )
    else:
        cases = values
    return f"UPDATE {STAMP_TABLE} SET stamp = {new_stamp} WHERE case_id IN ({cases});"  # noqa: S608


def _trigger_name(table: str, op: str = "") -> str:
    return f"{TRIGGER_PREFIX}{table}{'__' + op if op else ''}"


def _update_of(columns: tuple[str, ...]) -> str:
    return f"UPDATE OF {', '.join(columns)}" if columns else "UPDATE"


def sqlite_statements(table: str, column: str, scope: str, update_of=()) -> list[str]:
    statements = []
    for op in _ROWS:
        event = _update_of(update_of) if op == "update" else op.upper()
        body = _renew(_SQLITE_NEW_STAMP, table, column, scope, op)
        statements.append(
            f"CREATE TRIGGER {_trigger_name(table, op)} AFTER {event} ON {table} BEGIN {body} END;"
        )
    return statements


def postgres_statements(table: str, column: str, scope: str, update_of=()) -> list[str]:
    function = _trigger_name(table)
    insert, update, delete = (_renew(_POSTGRES_NEW_STAMP, table, column, scope, op) for op in _ROWS)
    return [
        f"""CREATE OR REPLACE FUNCTION {function}() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        {insert}
    ELSIF TG_OP = 'UPDATE' THEN
        {update}
    ELSE
        {delete}
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;""",
        f"CREATE TRIGGER {function} AFTER INSERT OR {_update_of(update_of)} OR DELETE ON {table} "
        f"FOR EACH ROW EXECUTE FUNCTION {function}();",
    ]


def drop_statements(vendor: str, table: str) -> list[str]:
    if vendor == "postgresql":
        name = _trigger_name(table)
        return [f"DROP TRIGGER IF EXISTS {name} ON {table};", f"DROP FUNCTION IF EXISTS {name}();"]
    return [
        f"DROP TRIGGER IF EXISTS {_trigger_name(table, op)};"
        for op in ("insert", "update", "delete")
    ]


class StampTables(migrations.RunPython):
    """A migration operation: stamp the case page on every change to these tables, each given
    as (table, column, CASE or PERSON), or with a fourth item, the only columns whose update
    changes what the page shows (a table the worker updates often for its own bookkeeping)."""

    def __init__(self, *tables: tuple):
        self.tables = tables
        super().__init__(self._install, self._drop)

    def _install(self, apps, schema_editor):
        vendor = schema_editor.connection.vendor
        build = postgres_statements if vendor == "postgresql" else sqlite_statements
        for table, column, scope, *update_of in self.tables:
            for statement in build(table, column, scope, *update_of):
                schema_editor.execute(statement, params=None)

    def _drop(self, apps, schema_editor):
        for table, *_ in self.tables:
            for statement in drop_statements(schema_editor.connection.vendor, table):
                schema_editor.execute(statement, params=None)

    def describe(self):
        return f"Stamp the case page on changes to {', '.join(t for t, *_ in self.tables)}"


def stamped_tables(connection) -> set[str]:
    """The tables that stamp the case page, as the database's own triggers say."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT DISTINCT event_object_table, trigger_name FROM information_schema.triggers"
            )
        else:
            cursor.execute("SELECT tbl_name, name FROM sqlite_master WHERE type = 'trigger'")
        # Matched here, not with LIKE, where each "_" of the prefix would match any character.
        return {table for table, name in cursor.fetchall() if name.startswith(TRIGGER_PREFIX)}
