"""Recompute the blind indexes after HAVEN_BLIND_INDEX_KEY changed (`rotate_field_keys --reindex`).

Until this has run, exact-match look-ups (people_matching) miss every row indexed under the old
key. Each batch commits on its own, so an interrupted run is simply run again.
"""

from collections.abc import Callable

from django.db import transaction
from django.db.models import Model

from haven.core.scoping import all_agencies
from haven.people.indexes import alias_indexes, person_indexes
from haven.people.models import ContactPoint, Person, PersonAlias
from haven.people.services import contact_value_index

BATCH_SIZE = 1000


def _reindex(
    model: type[Model],
    fields: tuple[str, ...],
    index_fields: tuple[str, ...],
    compute: Callable[..., dict[str, str]],
    batch_size: int,
) -> int:
    """Walk the table in pk order, one transaction per batch, rewriting stale digests.

    The batch is read with SELECT ... FOR UPDATE (PostgreSQL; SQLite holds the write lock for
    the whole transaction), so a concurrent change to a row is never overwritten with a digest
    of its old value.
    """
    changed = 0
    last_pk = None
    with all_agencies():
        while True:
            with transaction.atomic():
                rows = model._base_manager.select_for_update().order_by("pk")
                if last_pk is not None:
                    rows = rows.filter(pk__gt=last_pk)
                batch = list(rows.values_list("pk", *fields, *index_fields)[:batch_size])
                for pk, *values in batch:
                    current = dict(zip(index_fields, values[len(fields) :], strict=True))
                    digests = compute(*values[: len(fields)])
                    if digests != current:
                        model._base_manager.filter(pk=pk).update(**digests)
                        changed += 1
            if len(batch) < batch_size:
                return changed
            last_pk = batch[-1][0]


def reindex_people(*, batch_size: int = BATCH_SIZE) -> int:
    """Recompute Person's name, birth-date and sound indexes from the decrypted values; return
    how many rows changed."""
    return _reindex(
        Person,
        ("first_name", "last_name", "date_of_birth"),
        tuple(person_indexes("", "", None)),
        person_indexes,
        batch_size,
    )


def reindex_aliases(*, batch_size: int = BATCH_SIZE) -> int:
    """Recompute PersonAlias's name indexes; return how many rows changed."""
    return _reindex(
        PersonAlias,
        ("first_name", "last_name"),
        tuple(alias_indexes("", "")),
        alias_indexes,
        batch_size,
    )


def reindex_contact_points(*, batch_size: int = BATCH_SIZE) -> int:
    """Recompute ContactPoint.value_index from the (decrypted, already normalized) value."""
    return _reindex(
        ContactPoint,
        ("kind", "value"),
        ("value_index",),
        lambda kind, value: {"value_index": contact_value_index(kind, value)},
        batch_size,
    )
