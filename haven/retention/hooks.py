"""Purgers: other apps' work inside a purge's transaction (docs/retention.md).

A purger is called once for each case and each person being destroyed, before their rows
go, and destroys what its app keeps outside the rows Django's model graph reaches (files,
stored documents). It returns what it destroyed as (kind, sha256) pairs, which the
certificate of destruction lists; it raises to refuse, and the record is then kept whole.

    def purge_documents_for(*, person=None, case=None) -> list[tuple[str, str]]: ...

Apps below retention cannot import it, so retention registers them in its AppConfig.ready
(KNOWN_PURGERS, by dotted path, for the apps that are installed); tests and later apps may
call register_purger.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol


class Purger(Protocol):
    def __call__(self, *, person=None, case=None) -> list[tuple[str, str]]: ...


# (app, dotted path of its purger): registered when the app is installed.
KNOWN_PURGERS = [("haven.documents", "haven.documents.services.purge_documents_for")]

_purgers: list[Purger] = []


def register_purger(fn: Purger) -> Callable[[], None]:
    """Add a purger; returns a function that takes it out again (for tests)."""
    if fn not in _purgers:
        _purgers.append(fn)
    return lambda: _purgers.remove(fn) if fn in _purgers else None


def purgers() -> list[Purger]:
    return list(_purgers)
