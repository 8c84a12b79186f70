"""The base every tenant-owned model stands on."""

from django.db import models
from django.utils.hashable import make_hashable
from django.utils.translation import get_language
from django_scopes import ScopedManager

# (field, language) -> {value: label}. Django's own get_FOO_display() builds a dict of all the
# field's choices on every call (about 11 µs); the lists and the case timeline call it hundreds
# of times a page. Choices are fixed per field, and labels per language.
_labels: dict[tuple[models.Field, str | None], dict] = {}


def choice_label(field: models.Field, value):
    """The label of `value` among the field's choices in the active language (the value itself
    when it is not one): what get_FOO_display() shows, remembered per field and language."""
    key = (field, get_language())
    labels = _labels.get(key)
    if labels is None:
        labels = _labels[key] = {
            make_hashable(choice): str(label) for choice, label in field.flatchoices
        }
    try:
        return labels.get(make_hashable(value), value)
    except TypeError:  # a value that cannot be a key (a list in a JSON field)
        return value


class TenantModel(models.Model):
    """A row that belongs to one agency.

    Its default manager is scoped: a query made while no agency scope is active raises
    ScopeError instead of returning every agency's rows (see haven/core/scoping.py).
    """

    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")

    objects = ScopedManager(agency="agency")

    class Meta:
        abstract = True

    def _get_FIELD_display(self, field):  # noqa: N802 (Django's name)
        return choice_label(field, getattr(self, field.attname))
