"""One spreadsheet-cell neutralizer for every CSV, XLSX and HSDS file Haven writes.

A cell that a spreadsheet would read as a formula ("=HYPERLINK(...)", "+1+cmd|...", "@SUM")
is written as text by putting an apostrophe in front (OWASP's advice for CSV injection).
Spreadsheets skip leading spaces and line feeds before a formula, so those are looked through.
Only text is touched: numbers, dates and empty cells pass as they are.
"""

import csv
from collections.abc import Iterable
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """The value, or the text with an apostrophe in front when a spreadsheet would run it."""
    if not isinstance(value, str):
        return value
    if value.lstrip(" \n")[:1] in FORMULA_STARTS:
        return "'" + value
    return value


def safe_row(row: Iterable[Any]) -> list[Any]:
    return [safe_cell(value) for value in row]


class SafeWriter:
    """csv.writer whose every cell passes through safe_cell."""

    def __init__(self, out, **kwargs):
        self._writer = csv.writer(out, **kwargs)

    def writerow(self, row: Iterable[Any]):
        return self._writer.writerow(safe_row(row))

    def writerows(self, rows: Iterable[Iterable[Any]]):
        for row in rows:
            self.writerow(row)


def csv_writer(out, **kwargs) -> SafeWriter:
    """Use in place of csv.writer for any file a person may open in a spreadsheet."""
    return SafeWriter(out, **kwargs)
