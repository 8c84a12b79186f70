"""Plain executemany INSERTs for the rows an import creates.

Django's bulk_create spends about 100 µs per object building model instances and preparing
each field; a big city's year is some 750,000 rows (incidents, offenses, people), minutes of
that. The importer's new rows come from the mapper already validated and in their final Python
types, so here each column is adapted once by its kind and the rows go out in one executemany.
Only the importer's inserts of new rows use this; every other write goes through the ORM.
"""

from collections.abc import Callable, Sequence
from functools import cache

from django.db import connection, models

from haven.lib.crypto import EncryptedTextField


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
    adapters = [
        (i, adapter)
        for i, name in enumerate(fields)
        if (adapter := _adapter(opts.get_field(name))) is not None
    ]
    if adapters:
        rows = [list(row) for row in rows]
        for i, adapt in adapters:
            for row in rows:
                value = row[i]
                if value is not None and value != "":
                    row[i] = adapt(value)
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def _adapter(field: models.Field) -> Callable | None:
    if isinstance(field, EncryptedTextField):
        return lambda value: field.get_db_prep_save(value, connection)
    if isinstance(field, models.DateTimeField):
        # A batch shares its import time and often its report days: adapt each value once.
        return cache(connection.ops.adapt_datetimefield_value)
    if isinstance(field, models.DateField):
        return connection.ops.adapt_datefield_value
    return None
