"""Timestamp arithmetic the database does itself.

Django adds a `timedelta` to a timestamp column on SQLite by calling a Python function for
every row (`django_format_dtdelta`): a filter such as "first contact within 24 hours of the
referral" over a 35,000-case agency spent 160 ms there. SQLite's own `strftime` does it in C.
"""

from datetime import timedelta

from django.db.models import DateTimeField, F, Func


class PlusTime(Func):
    """`column + delta` (a whole number of seconds), comparable with another timestamp column.

    On SQLite, where Django stores a timestamp as the text `YYYY-MM-DD HH:MM:SS[.ffffff]` in
    UTC, the sum is written the same way: the seconds added by `strftime`, the fraction kept
    from the column's own text, so comparing the two texts compares the instants exactly.
    Elsewhere it is Django's own `F(column) + delta`."""

    template = "(%(expressions)s)"
    output_field = DateTimeField()

    def __init__(self, column: str, delta: timedelta):
        if delta.microseconds:
            raise ValueError("PlusTime adds whole seconds only")
        self.seconds = int(delta.total_seconds())
        super().__init__(F(column) + delta)

    def as_sqlite(self, compiler, connection, **extra):
        column, params = compiler.compile(self.get_source_expressions()[0].lhs)
        sql = f"strftime('%%Y-%%m-%%d %%H:%%M:%%S', {column}, %s) || substr({column}, 20)"
        return f"({sql})", [*params, f"{self.seconds:+d} seconds", *params]
