"""Small-cell suppression for the analyst's view of the dashboard, on the rule of the
de-identified path (haven/consent/deidentify.py, which says why aggregate numbers need no
consent):

- a count from 1 to SMALL_CELL - 1 is shown as "fewer than 5" (0 is shown: it identifies
  nobody);
- a median or a rate computed over fewer than SMALL_CELL cases or answers is not shown.

Supervisors and coordinators (who may read every case anyway) see the exact numbers.
"""

from __future__ import annotations

from dataclasses import dataclass

from haven.consent.deidentify import SMALL_CELL, suppress_grid
from haven.consent.deidentify import suppress as suppress_count

SUPPRESS_BELOW = SMALL_CELL


@dataclass(frozen=True)
class Num:
    """A number as the dashboard shows it: `value` is None when suppressed or unknown."""

    value: float | None
    text: str
    suppressed: bool = False

    def __str__(self) -> str:
        return self.text


def count(n: int, *, suppress: bool) -> Num:
    if suppress and suppress_count(n) != n:
        return Num(None, f"fewer than {SUPPRESS_BELOW}", True)
    return Num(n, f"{n:,}")


def measure(value: float | None, base: int, *, suppress: bool, fmt: str = "{:.1f}") -> Num:
    """A median or a share computed over `base` rows."""
    if value is None or base == 0:
        return Num(None, "–")
    if suppress and base < SUPPRESS_BELOW:
        return Num(None, f"fewer than {SUPPRESS_BELOW} cases", True)
    return Num(value, fmt.format(value))


def grid(cells: dict[tuple[str, str], int], *, suppress: bool) -> dict[tuple[str, str], Num]:
    """A rows x columns table of counts. Suppressed, a small cell hides, and so does the next
    smallest cell of any row or column where it would be the only one hidden, so that it
    cannot be worked out from the row's or column's total (consent.deidentify.suppress_grid)."""
    if not suppress:
        return {key: Num(n, f"{n:,}") for key, n in cells.items()}
    rows: dict[str, dict[str, int]] = {}
    for (row, column), n in cells.items():
        rows.setdefault(row, {})[column] = n
    shown = suppress_grid(rows)
    return {
        (row, column): (
            Num(None, f"fewer than {SUPPRESS_BELOW}", True)
            if isinstance(shown[row][column], str)
            else Num(n, f"{n:,}")
        )
        for (row, column), n in cells.items()
    }
