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


def _cases_of_person(person: str) -> str:
    return (
        f"SELECT id AS case_id FROM cases_case WHERE primary_victim_id = {person} "  # noqa: S608
        f"UNION SELECT case_id FROM cases_caseperson WHERE person_id = {person}"
    )


def _sqlite_upsert(cases: str) -> str:
    # "WHERE true" keeps SQLite from reading ON CONFLICT as part of the SELECT (its documented
    # parsing ambiguity of INSERT ... SELECT ... ON CONFLICT).
    return (
        f"INSERT INTO {STAMP_TABLE} (case_id, stamp) "  # noqa: S608
        f"SELECT case_id, {_SQLITE_NEW_STAMP} FROM ({cases}) WHERE case_id IS NOT NULL "
        "ON CONFLICT (case_id) DO UPDATE SET stamp = excluded.stamp;"
    )


def _sqlite_cases(row: str, column: str, scope: str) -> str:
    value = f"{row}.{column}"
    return _cases_of_person(value) if scope == PERSON else f"SELECT {value} AS case_id"


def _trigger_name(table: str, op: str = "") -> str:
    return f"case_page_stamp__{table}{'__' + op if op else ''}"


def _update_of(columns: tuple[str, ...]) -> str:
    return f"UPDATE OF {', '.join(columns)}" if columns else "UPDATE"


def sqlite_statements(table: str, column: str, scope: str, update_of=()) -> list[str]:
    statements = []
    for op, rows in (("insert", ["NEW"]), ("update", ["NEW", "OLD"]), ("delete", ["OLD"])):
        event = _update_of(update_of) if op == "update" else op.upper()
        if table == "cases_case" and op == "delete":
            body = f"DELETE FROM {STAMP_TABLE} WHERE case_id = OLD.id;"  # noqa: S608
        else:
            body = " ".join(_sqlite_upsert(_sqlite_cases(row, column, scope)) for row in rows)
        statements.append(
            f"CREATE TRIGGER {_trigger_name(table, op)} AFTER {event} ON {table} BEGIN {body} END;"
        )
    return statements


def postgres_statements(table: str, column: str, scope: str, update_of=()) -> list[str]:
    function = _trigger_name(table)

    def upsert(row: str) -> str:
        value = f"{row}.{column}"
        cases = _cases_of_person(value) if scope == PERSON else f"SELECT {value} AS case_id"
        # One row per case: ON CONFLICT may not touch a row twice in one statement.
        return (
            f"INSERT INTO {STAMP_TABLE} (case_id, stamp) "  # noqa: S608
            f"SELECT case_id, {_POSTGRES_NEW_STAMP} FROM ({cases}) AS cases "
            "WHERE case_id IS NOT NULL "
            "ON CONFLICT (case_id) DO UPDATE SET stamp = EXCLUDED.stamp;"
        )

    if table == "cases_case":
        on_delete = f"DELETE FROM {STAMP_TABLE} WHERE case_id = OLD.id;"  # noqa: S608
    else:
        on_delete = upsert("OLD")
    return [
        f"""CREATE OR REPLACE FUNCTION {function}() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        {on_delete}
    ELSE
        {upsert("NEW")}
        IF TG_OP = 'UPDATE' AND OLD.{column} IS DISTINCT FROM NEW.{column} THEN
            {upsert("OLD")}
        END IF;
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
                "SELECT DISTINCT event_object_table FROM information_schema.triggers "
                "WHERE trigger_name LIKE 'case_page_stamp__%%'"
            )
        else:
            cursor.execute(
                "SELECT DISTINCT tbl_name FROM sqlite_master "
                "WHERE type = 'trigger' AND name LIKE 'case_page_stamp__%'"
            )
        return {row[0] for row in cursor.fetchall()}
