"""Plain bulk INSERTs (a COPY on PostgreSQL) for the rows an import creates.

Django's bulk_create spends about 100 µs per object building model instances and preparing
each field; a big city's year is some 750,000 rows (incidents, offenses, people), minutes of
that. The importer's new rows come from the mapper already validated and in their final Python
types, so here each column is adapted once by its kind and the rows go out in one executemany
(SQLite) or one COPY (PostgreSQL).
Only the importer's inserts of new rows use this; every other write goes through the ORM.
"""

from collections.abc import Callable, Sequence

from django.conf import settings
from django.db import connection, models

from haven.lib.crypto import EncryptedTextField

LOOKUP_CHUNK = 2000


def insert(model: type[models.Model], fields: Sequence[str], rows: list[tuple]) -> None:
    """INSERT rows of values for `fields` (model field names; foreign keys as ids)."""
    if not rows:
        return
    opts = model._meta
    quote = connection.ops.quote_name
    columns = ", ".join(quote(opts.get_field(name).column) for name in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    # Table and column names come from the model and are quoted; values go as parameters.
    sql = f"INSERT INTO {quote(opts.db_table)} ({columns}) VALUES ({placeholders})"  # noqa: S608
    # One adapter for all the datetime columns, so that a value two columns share (a report's
    # time when it is also its occurrence, the batch's import time) is adapted once.
    datetimes = _sqlite_datetime() if connection.vendor == "sqlite" and settings.USE_TZ else None
    adapters = [
        (i, adapter)
        for i, name in enumerate(fields)
        if (adapter := _adapter(opts.get_field(name), datetimes)) is not None
    ]
    adapted = rows  # `rows` keeps every value alive until the end: see _sqlite_datetime
    if adapters:
        adapted = [list(row) for row in rows]
        for i, adapt in adapters:
            for row in adapted:
                value = row[i]
                if value is not None and value != "":
                    row[i] = adapt(value)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # One COPY stream for the batch: an INSERT per row is a statement the server parses,
            # plans and answers each time (the import ran at a third of SQLite's wall rate).
            # (Names come from the model and are quoted; errors raised as Django's own.)
            table = quote(opts.db_table)
            copying = cursor.copy(f"COPY {table} ({columns}) FROM STDIN")
            with connection.wrap_database_errors, copying as copy:
                for row in adapted:
                    copy.write_row(row)
        else:
            cursor.executemany(sql, adapted)


def values_by(
    model: type[models.Model], key: str, value: str, agency_id: int, keys: Sequence[str]
) -> dict:
    """{key: value} of the agency's rows whose `key` column is one of `keys`: the batch's
    look-up of report numbers in one plain SELECT per 2,000 keys (through the unique index
    on agency and key), without building an ORM lookup that prepares each of them."""
    opts = model._meta
    quote = connection.ops.quote_name
    table = quote(opts.db_table)
    key_column = quote(opts.get_field(key).column)
    value_column = quote(opts.get_field(value).column)
    agency_column = quote(opts.get_field("agency").column)
    found = {}
    keys = list(keys)
    with connection.cursor() as cursor:
        for start in range(0, len(keys), LOOKUP_CHUNK):
            chunk = keys[start : start + LOOKUP_CHUNK]
            marks = ", ".join(["%s"] * len(chunk))
            # Names come from the model and are quoted; the keys go as parameters.
            cursor.execute(
                f"SELECT {key_column}, {value_column} FROM {table} "  # noqa: S608
                f"WHERE {agency_column} = %s AND {key_column} IN ({marks})",
                [agency_id, *chunk],
            )
            found.update(cursor.fetchall())
    return found


def _adapter(field: models.Field, datetimes: Callable | None) -> Callable | None:
    if isinstance(field, EncryptedTextField):
        return lambda value: field.get_db_prep_save(value, connection)
    if isinstance(field, models.DateTimeField):
        # PostgreSQL's own adapter hands the value on as it is: nothing to keep.
        return datetimes or connection.ops.adapt_datetimefield_value
    if isinstance(field, models.DateField):
        return connection.ops.adapt_datefield_value
    return None


def _sqlite_datetime() -> Callable:
    """What the SQLite backend's adapt_datetimefield_value returns (the time in the
    connection's zone, as text without an offset), in one step instead of four, and once per
    datetime object of an insert: its rows hold each object until the insert ends, so no
    object's id is taken by another while the adapter is used (a dict by value would hash
    each aware datetime, which costs as much as adapting it)."""
    tz = connection.timezone
    adapt = connection.ops.adapt_datetimefield_value
    done: dict[int, str] = {}

    def adapt_fast(value):
        result = done.get(id(value))
        if result is None:
            if value.utcoffset() is None:
                result = adapt(value)  # naive: the backend's own refusal or conversion
            else:
                result = str(value.astimezone(tz).replace(tzinfo=None))
            done[id(value)] = result
        return result

    return adapt_fast
