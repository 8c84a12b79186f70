"""The explicit de-identified path: what may leave Haven without anyone's consent.

Aggregate, de-identified numbers need no release of information (34 U.S.C. 12291(b)(2)(D)
allows "non-personally identifying data in the aggregate"; 28 CFR 94.115(d) the same for
VOCA-funded providers). That means:

- counts only, never rows: no name, date of birth, contact point, address, report number,
  or free text (a Haven case number is an internal key that means nothing outside Haven, so a
  de-identified case list may keep it for the unit's own follow-up);
- grouped only by coarse categories (victimization type, month, district, status, a service
  category, an age band), never by anything that names a person;
- no cell small enough to point at someone: a count from 1 to SMALL_CELL - 1 is shown as
  "<5" (with the default threshold), and when only one cell of a row or column is suppressed,
  the next smallest is suppressed too so it cannot be recovered by subtraction from a total.
  Zero stays 0: it identifies nobody.

Reports call `suppress` (one count), `suppress_table` (a dict of counts, with complementary
suppression) or `suppress_grid` (rows x columns, with complementary suppression).
"""

from collections.abc import Mapping

SMALL_CELL = 5
SUPPRESSED = f"<{SMALL_CELL}"

# Fields that identify or locate a person, or link to their record; a de-identified export
# never carries them (checked by `assert_deidentified`).
IDENTIFYING_FIELDS = frozenset(
    {
        "name",
        "first_name",
        "last_name",
        "middle_name",
        "preferred_name",
        "victim_name",
        "full_name",
        "date_of_birth",
        "dob",
        "phone",
        "email",
        "address",
        "contact",
        "report_number",
        "narrative",
        "note",
        "notes",
        "body",
        "ip",
    }
)


def suppress(count: int, *, threshold: int = SMALL_CELL) -> int | str:
    """The count, or "<threshold" when it is 1..threshold-1."""
    if count < 0:
        raise ValueError("A count is never negative")
    return f"<{threshold}" if 0 < count < threshold else count


def suppress_table(
    counts: Mapping[str, int], *, threshold: int = SMALL_CELL
) -> dict[str, int | str]:
    """Suppress small counts of one grouping. When exactly one cell is suppressed and a total
    could be published beside it, the next smallest non-zero cell is suppressed too."""
    shown: dict[str, int | str] = {k: suppress(v, threshold=threshold) for k, v in counts.items()}
    _complement(counts, shown, threshold)
    return shown


def _complement(counts: Mapping, shown: dict, threshold: int) -> None:
    hidden = [k for k, v in shown.items() if isinstance(v, str)]
    if len(hidden) != 1:
        return
    others = sorted((v, str(k), k) for k, v in counts.items() if k not in hidden and v > 0)
    if others:
        shown[others[0][2]] = f"<{threshold}" if others[0][0] < threshold else "suppressed"


def suppress_grid(
    grid: Mapping[str, Mapping[str, int]], *, threshold: int = SMALL_CELL
) -> dict[str, dict[str, int | str]]:
    """Suppress a rows x columns table: small cells, then complementary cells in each row and
    each column that has exactly one suppressed cell."""
    shown = {
        r: {c: suppress(v, threshold=threshold) for c, v in row.items()} for r, row in grid.items()
    }
    for _ in range(3):  # a few passes settle rows and columns
        for r, row in grid.items():
            _complement(row, shown[r], threshold)
        columns = {c for row in grid.values() for c in row}
        for c in columns:
            column_counts = {r: grid[r][c] for r in grid if c in grid[r]}
            column_shown = {r: shown[r][c] for r in column_counts}
            _complement(column_counts, column_shown, threshold)
            for r, value in column_shown.items():
                shown[r][c] = value
    return shown


def assert_deidentified(columns) -> None:
    """Refuse a de-identified export whose columns include an identifying field."""
    bad = sorted(set(columns) & IDENTIFYING_FIELDS)
    if bad:
        raise ValueError(f"Identifying columns in a de-identified export: {', '.join(bad)}")
