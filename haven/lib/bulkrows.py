"""Rows written in bulk, for loaders that make many thousands of them (the demo): model
instances made cheaply, parents' ids filled in once the parents are inserted, weighted random
choices, and timestamps kept as given. Not domain code: any app's demo.py uses it."""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TypeVar

from django.db import models
from django.db.models.base import ModelState

M = TypeVar("M", bound=models.Model)


def pk_or_none(obj: models.Model | None) -> int | None:
    return None if obj is None else obj.pk


class Weighted:
    """Values with weights, drawn from a given Random (cumulative weights computed once)."""

    def __init__(self, pairs: Sequence[tuple[object, float]]):
        self.values = [value for value, _ in pairs]
        self.cum: list[float] = []
        total = 0.0
        for _, weight in pairs:
            total += weight
            self.cum.append(total)

    def pick(self, rng: random.Random):
        return rng.choices(self.values, cum_weights=self.cum, k=1)[0]

    def pick_some(self, rng: random.Random, k: int) -> set:
        return set(rng.choices(self.values, cum_weights=self.cum, k=k))


class InstanceMaker:
    """Model instances for bulk_create, several times cheaper than Model(**fields).

    Model.__init__ walks every field and goes through the related-object descriptors; for
    rows that are only ever inserted, filling the instance's __dict__ from a per-model
    template does the same job. A related object is not cached on the instance: its id is
    copied in by `resolve_parents` once the parent row has been inserted and has one, so
    reading the relation (row.case) before then would not find it; read the id fields.
    """

    def __init__(self):
        self.templates: dict[type[models.Model], tuple[dict, list, dict]] = {}

    def _template(self, model: type[models.Model]) -> tuple[dict, list, dict]:
        static, dynamic, relations = {}, [], {}
        for f in model._meta.concrete_fields:
            if f.has_default() and callable(f.default):
                dynamic.append((f.attname, f.default))
            else:
                static[f.attname] = f.get_default()
            if f.is_relation:
                relations[f.name] = f.attname
        template = self.templates[model] = (static, dynamic, relations)
        return template

    def __call__(self, model: type[M], **values) -> M:
        static, dynamic, relations = self.templates.get(model) or self._template(model)
        obj = model.__new__(model)
        obj._state = ModelState()
        fields = obj.__dict__
        fields.update(static)
        for attname, default in dynamic:
            if attname not in values:
                fields[attname] = default()
        parents = []
        for name, value in values.items():
            attname = relations.get(name)
            if attname is None:
                fields[name] = value
            elif value is None:
                fields[attname] = None
            else:
                fields[attname] = value.pk
                if value.pk is None:
                    parents.append((attname, value))
        if parents:
            fields[PARENTS] = parents
        return obj


PARENTS = "_demo_parents"


def resolve_parents(objs: list[models.Model]) -> None:
    """Copy the ids of parent rows inserted since these rows were made."""
    for obj in objs:
        parents = obj.__dict__.pop(PARENTS, None)
        if parents:
            for attname, parent in parents:
                obj.__dict__[attname] = parent.pk


new_row = InstanceMaker()


@contextmanager
def keep_given_timestamps(*model_classes: type[models.Model]) -> Iterator[None]:
    """Let bulk_create keep the created_at/updated_at values we give it.

    auto_now/auto_now_add fields overwrite any value with "now" on insert, which would put a
    year of casework on today's date. The flags are switched off on the model fields for the
    duration of the load only (the demo command runs alone in its process).
    """
    fields = [
        f
        for model in model_classes
        for f in model._meta.concrete_fields
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
    ]
    saved = [(f, f.auto_now, f.auto_now_add) for f in fields]
    for f in fields:
        f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, auto_now, auto_now_add in saved:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add
