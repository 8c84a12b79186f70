"""No lost edit (docs/security.md, "No lost edit"): every editable shared record carries a
version; a save names the version it started from and is refused if the row moved on since.

The one write that counts is a conditional update, `UPDATE … SET …, version = version + 1
WHERE id = %s AND version = %s`: of two saves from the same version exactly one updates a row,
on SQLite and on PostgreSQL, on one server or many, with no lock held between the page and
the save. The other raises `StaleEdit` (a `ValidationError`, so a caller that knows nothing
of versions still refuses, and its transaction rolls back) carrying the row as saved now;
`haven.core.form_views` shows it beside the user's input, the API answers 409.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F
from django.utils.translation import gettext_lazy as _


class Versioned(models.Model):
    """A record two people may edit at once: its version counts its saves, from 1."""

    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        abstract = True


class StaleEdit(ValidationError):
    """A save over a newer version. Nothing was written; `current` is the record as saved now,
    `sent` the version the writer started from, `saved_version` the one saved now (the
    record's `version`, unless a record counts its versions otherwise: a safety plan's
    revision number)."""

    def __init__(self, *, current: models.Model, sent: int, saved_version: int | None = None):
        self.current = current
        self.sent = sent
        self.saved_version = current.version if saved_version is None else saved_version
        super().__init__(
            _(
                "Someone else saved this record while you were editing it (you started from "
                "version %(sent)s; it is now at version %(saved)s). Nothing was saved."
            ),
            code="stale",
            params={"sent": sent, "saved": self.saved_version},
        )


def save_versioned(obj: Versioned, *, version: int | None, fields: Iterable[str]) -> None:
    """Write `fields` of `obj` if its row is still at `version`, and count the version up.

    `version` is the one the writer loaded (the form's hidden field, the API's If-Match); None
    means the version `obj` was read at, which still refuses a save that raced this one. Call
    it inside the service's transaction before anything else is written: on a newer version it
    raises `StaleEdit` and has written nothing. `updated_at`-style (auto_now) fields are
    stamped as `save()` would. An unsaved `obj` (a settings row still at its defaults) is
    inserted at the next version."""
    expected = obj.version if version is None else version
    model = type(obj)
    if obj._state.adding:
        # settings kept as unsaved defaults (version 1) until first saved: the first save is 2,
        # so a second writer who also loaded the defaults is refused
        obj.version = expected + 1
        obj.save(force_insert=True)
        return
    values: dict[str, Any] = {}
    for name in dict.fromkeys(fields):
        if name == "version":
            continue
        field = model._meta.get_field(name)
        values[field.attname] = field.pre_save(obj, add=False)
    for field in model._meta.concrete_fields:
        if getattr(field, "auto_now", False) and field.attname not in values:
            values[field.attname] = field.pre_save(obj, add=False)
    # _base_manager: the caller has the object through its access helper already; the scoped
    # default manager would refuse outside an agency scope (a worker, a command).
    rows = model._base_manager.filter(pk=obj.pk, version=expected)
    if not rows.update(version=F("version") + 1, **values):
        raise StaleEdit(current=model._base_manager.get(pk=obj.pk), sent=expected)
    obj.version = expected + 1


def check_version(obj: Versioned, version: int | None) -> None:
    """Refuse early, before validating, a save that starts from an old version (the
    conditional update in `save_versioned` is still what guarantees it)."""
    if version is not None and version != obj.version:
        # read again: the caller's copy may hold the writer's values already (a ModelForm)
        raise StaleEdit(current=type(obj)._base_manager.get(pk=obj.pk), sent=version)


def lock_version(obj: Versioned, version: int | None) -> None:
    """Inside the service's transaction: lock the record's row and refuse (StaleEdit) if it
    moved on from `version` (None: the version `obj` was read at). For a save that also
    rewrites rows beside the record (a service's needs, a rule's districts): a second writer
    waits here, then is refused, instead of racing the first on those rows."""
    expected = obj.version if version is None else version
    model = type(obj)
    rows = model._base_manager.select_for_update().filter(pk=obj.pk)
    if rows.values_list("version", flat=True).get() != expected:
        raise StaleEdit(current=model._base_manager.get(pk=obj.pk), sent=expected)
