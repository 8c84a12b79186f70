"""The one loader for reference data files in haven/reference/ (sources cited in its README)."""

import json
from functools import cache
from pathlib import Path

REFERENCE_DIR = Path(__file__).resolve().parent.parent / "reference"


@cache
def load(name: str) -> dict:
    with open(REFERENCE_DIR / f"{name}.json", encoding="utf-8") as handle:
        return json.load(handle)


def choices(name: str, key: str) -> list[tuple[str, str]]:
    """A list of (code, label) pairs, ready for a model or form field's choices."""
    return [(row[0], row[1]) for row in load(name)[key]]


def age_band(age: int | None) -> str:
    """The PMT age band code for an age in years, or "not_reported" when it is unknown."""
    if age is None:
        return "not_reported"
    for code, _label, low, high in load("pmt")["age_bands"]:
        if age >= low and (high is None or age <= high):
            return code
    raise ValueError(f"age {age} is outside every band")
