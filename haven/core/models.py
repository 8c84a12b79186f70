"""The base every tenant-owned model stands on."""

from django.db import models
from django_scopes import ScopedManager


class TenantModel(models.Model):
    """A row that belongs to one agency.

    Its default manager is scoped: a query made while no agency scope is active raises
    ScopeError instead of returning every agency's rows (see haven/core/scoping.py).
    """

    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")

    objects = ScopedManager(agency="agency")

    class Meta:
        abstract = True
