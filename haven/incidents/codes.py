"""The NIBRS codes the profiles may map to (reference/nibrs.json, sources in its README)."""

import json
from functools import cache
from pathlib import Path

REFERENCE = Path(__file__).resolve().parent / "reference" / "nibrs.json"


@cache
def _nibrs() -> dict:
    with open(REFERENCE, encoding="utf-8") as handle:
        return json.load(handle)


def nibrs_offenses() -> dict[str, str]:
    """NIBRS offense code -> its name, e.g. "13A" -> "Aggravated Assault"."""
    return dict(_nibrs()["offenses"])
