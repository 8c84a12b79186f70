"""The de-identified path: counts with no cell small enough to point at someone."""

import pytest

from haven.consent.case_export import DEIDENTIFIED_COLUMNS
from haven.consent.deidentify import (
    assert_deidentified,
    suppress,
    suppress_grid,
    suppress_table,
)


def test_small_counts_are_shown_as_under_five_and_zero_stays_zero():
    assert [suppress(n) for n in (0, 1, 4, 5, 12)] == [0, "<5", "<5", 5, 12]
    assert suppress(2, threshold=11) == "<11"
    with pytest.raises(ValueError):
        suppress(-1)


def test_a_lone_suppressed_cell_takes_the_next_smallest_with_it():
    shown = suppress_table({"dv": 40, "assault": 3, "robbery": 9, "fraud": 0})
    assert shown == {"dv": 40, "assault": "<5", "robbery": "suppressed", "fraud": 0}


def test_two_suppressed_cells_need_no_complement():
    assert suppress_table({"a": 2, "b": 1, "c": 30}) == {"a": "<5", "b": "<5", "c": 30}


def test_a_grid_is_suppressed_by_row_and_column():
    shown = suppress_grid({"jan": {"dv": 20, "sa": 2}, "feb": {"dv": 30, "sa": 12}})
    assert shown["jan"]["sa"] == "<5"
    assert shown["feb"]["sa"] == "suppressed"  # else jan's 2 = column total - 12
    assert shown["jan"]["dv"] == "suppressed"  # else jan's 2 = row total - 20
    # In a 2 x 2 table one small cell hides them all: any one shown gives the rest away.
    assert shown["feb"]["dv"] == "suppressed"


def test_a_wider_grid_keeps_the_cells_that_give_nothing_away():
    grid = {
        "jan": {"dv": 20, "sa": 2, "other": 9},
        "feb": {"dv": 30, "sa": 12, "other": 15},
        "mar": {"dv": 25, "sa": 14, "other": 40},
    }
    shown = suppress_grid(grid)
    hidden = {(r, c) for r, row in shown.items() for c, v in row.items() if isinstance(v, str)}
    assert ("jan", "sa") in hidden and len(hidden) >= 2
    for row in shown.values():
        assert sum(isinstance(v, str) for v in row.values()) != 1
    for c in ("dv", "sa", "other"):
        assert sum(isinstance(shown[r][c], str) for r in shown) != 1
    assert shown["mar"]["other"] == 40


def test_a_de_identified_export_refuses_identifying_columns():
    assert_deidentified(DEIDENTIFIED_COLUMNS)
    with pytest.raises(ValueError, match="victim_name"):
        assert_deidentified(["case_number", "victim_name"])
