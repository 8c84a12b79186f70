from django.db import models
from django.utils import timezone

from haven.assistance import catalog
from haven.core.models import TenantModel
from haven.lib.crypto import EncryptedTextField


class ServiceProvided(TenantModel):
    """One service (an OVC PMT sub-service) given to one person served on a case.

    Every entry that is not removed counts in the PMT reports: the number of times each
    sub-service was provided and the individuals who received each category. Written only by
    assistance.services; a mistaken entry is removed there (kept, with who, when and why).
    """

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="services")
    # The primary victim or a person the case serves (cases.CasePerson with is_served).
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    # Codes from haven/reference/pmt.json, checked by the service; no `choices` on the columns,
    # so the reference can gain a line without a migration.
    category = models.CharField(max_length=4)
    sub_service = models.CharField(max_length=8)
    provided_at = models.DateTimeField(default=timezone.now)
    duration_minutes = models.PositiveIntegerField(null=True, blank=True)
    provided_by = models.ForeignKey(
        "agencies.Membership", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The grant or fund that paid for it (funding.FundingSource); empty: not tagged. A service
    # recorded without one gets the agency's default source, if it has one.
    funding_source = models.ForeignKey(
        "funding.FundingSource", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Which service and what next, never the facts of the crime.
    note = EncryptedTextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    # Set when the entry is removed as a mistake; a removed entry counts nowhere.
    removed_at = models.DateTimeField(null=True, blank=True)
    removed_by = models.ForeignKey(
        "agencies.Membership", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    removal_reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-provided_at", "-id"]
        indexes = [
            # The PMT report and the dashboard: an agency's services in a quarter, read from
            # the index alone (covering; measured in docs/performance.md, "Reports").
            models.Index(
                fields=["agency", "provided_at", "removed_at", "person", "case", "sub_service"],
                name="assistance_service_quarter",
            ),
            # The case page: a case's services, newest first.
            models.Index(fields=["case", "provided_at"]),
        ]
        verbose_name_plural = "services provided"

    def __str__(self) -> str:
        return f"{self.sub_service} on case {self.case_id}"

    @property
    def category_label(self) -> str:
        found = catalog.category(self.category)
        return found.label if found else self.category

    @property
    def sub_service_label(self) -> str:
        found = catalog.sub_service(self.sub_service)
        return found.label if found else self.sub_service
