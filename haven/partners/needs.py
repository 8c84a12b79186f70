"""The need categories (what a victim is referred for), as data: data/needs.json. Exported and
imported as HSDS taxonomy / taxonomy_term rows whose ids are derived from the codes, so they are
the same in every export of every agency."""

import json
import uuid
from functools import cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data" / "needs.json"
# Fixed namespace: uuid5(NAMESPACE, code) is a term's HSDS id, stable forever.
NAMESPACE = uuid.UUID("6f1d3c1e-6a43-4a8e-9d1c-7c0b4f4a2b10")
TAXONOMY_ID = uuid.uuid5(NAMESPACE, "taxonomy")


@cache
def _load() -> dict:
    with open(DATA, encoding="utf-8") as handle:
        return json.load(handle)


def taxonomy() -> dict:
    return _load()["taxonomy"]


def all_needs() -> list[tuple[str, str, str]]:
    """(code, name, description) in the file's order."""
    return [tuple(row) for row in _load()["needs"]]


def choices() -> list[tuple[str, str]]:
    return [(code, name) for code, name, _ in all_needs()]


def label(code: str) -> str:
    return dict(choices()).get(code, code)


def term_id(code: str) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, code)


def code_for_term(term_uuid: uuid.UUID) -> str | None:
    return {term_id(code): code for code, _, _ in all_needs()}.get(term_uuid)
