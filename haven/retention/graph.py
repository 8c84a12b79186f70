"""Deleting a record and everything of it, found through Django's model graph.

`CASCADE` relations go with the record as Django does it. A `PROTECT` or `RESTRICT`
relation would stop the delete: when the row holding it is victim data (its model reaches a
Case or a Person through required foreign keys: `victim_models`), that row is destroyed
first, the same way; when it is not (a volunteer's hours logged on the case), the link is
cut (`DETACH`) and the row kept. Anything else stops the purge naming the model, so a new
model nobody thought of fails loudly (and its test) instead of being left behind or
deleted by surprise.
"""

from __future__ import annotations

from collections import Counter
from functools import cache

from django.apps import apps
from django.db import router
from django.db.models import Model, ProtectedError, RestrictedError
from django.db.models.deletion import Collector

ROOTS = ("cases.Case", "people.Person")

# Rows that only point at the record and are not the victim's data: the link is cleared and
# the row kept. (model label, field name)
DETACH = {
    # A volunteer's hours stay in the program's totals; only the case they were on goes.
    ("program.VolunteerHours", "case"),
}


class PurgeBlocked(Exception):
    """A row the purge does not know how to handle stops it (the record is kept whole)."""


def _points_at(model, targets) -> bool:
    return any(
        field.is_relation
        and field.related_model in targets
        and (model._meta.label, field.name) not in DETACH
        for field in model._meta.concrete_fields
    )


@cache
def victim_models() -> frozenset[type[Model]]:
    """Models whose rows belong to a case or a person: a foreign key to Case or Person, or to
    a model that has one, and so on."""
    found = {apps.get_model(label) for label in ROOTS}
    grew = True
    while grew:
        grew = False
        for model in apps.get_models():
            if model not in found and _points_at(model, found):
                found.add(model)
                grew = True
    return frozenset(found)


def _detach(row: Model) -> bool:
    """Clear the row's DETACH links; False when it has none."""
    fields = [
        field.name
        for field in row._meta.concrete_fields
        if (row._meta.label, field.name) in DETACH and getattr(row, field.attname) is not None
    ]
    if fields:
        type(row)._base_manager.filter(pk=row.pk).update(**dict.fromkeys(fields))
    return bool(fields)


def destroy(rows: list[Model], counts: Counter | None = None, depth: int = 0) -> Counter:
    """Delete `rows` and everything that depends on them; rows destroyed, by model label.
    Run it inside the caller's transaction."""
    counts = Counter() if counts is None else counts
    if not rows:
        return counts
    if depth > 20:
        raise PurgeBlocked("The records depend on each other too deeply to destroy.")
    allowed = victim_models()
    using = router.db_for_write(type(rows[0]))
    for _attempt in range(50):
        collector = Collector(using=using)
        try:
            collector.collect(rows)
        except (ProtectedError, RestrictedError) as exc:
            blockers = list(
                getattr(exc, "protected_objects", None) or getattr(exc, "restricted_objects", ())
            )
            for row in blockers:
                if _detach(row):
                    continue
                if type(row) not in allowed:
                    raise PurgeBlocked(
                        f"A {row._meta.label} row depends on the record and is not the "
                        "victim's data: teach haven/retention/graph.py what to do with it."
                    ) from exc
                destroy([row], counts, depth + 1)
            continue
        _total, by_model = collector.delete()
        counts.update({label: n for label, n in by_model.items() if n})
        return counts
    raise PurgeBlocked("The records could not be destroyed: too many rows block each other.")
