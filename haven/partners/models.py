"""The partner directory in the shape of Open Referral's Human Services Data Specification
(HSDS 3.x): organizations, the services they offer, where and when, in which languages, for
whom. See docs/partners.md."""

import uuid

from django.db import models
from django.utils import timezone

from haven.core.models import TenantModel


class Organization(TenantModel):
    """A partner: a shelter, a counseling center, a legal-aid office, a hospital program."""

    # HSDS `organization.id`: stable across export and re-import.
    hsds_id = models.UUIDField(default=uuid.uuid4, editable=False)
    name = models.CharField(max_length=200)
    alternate_name = models.CharField(max_length=200, blank=True)
    description = models.TextField(blank=True)
    email = models.EmailField(blank=True)
    website = models.URLField(blank=True)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "hsds_id"], name="partner_org_hsds_id"),
        ]

    def __str__(self) -> str:
        return self.name


class Service(TenantModel):
    """What an organization offers (HSDS `service`)."""

    hsds_id = models.UUIDField(default=uuid.uuid4, editable=False)
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="services"
    )
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    email = models.EmailField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["organization__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "hsds_id"], name="partner_service_hsds_id"),
        ]

    def __str__(self) -> str:
        return f"{self.organization.name}: {self.name}"
