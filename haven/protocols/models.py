"""Protocols as data: an agency's templates (a named checklist of steps) and the copies running
on cases. A running protocol copies its template's steps when it starts, so editing a template
never changes a checklist already under way."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from haven.core.models import TenantModel
from haven.core.versions import Versioned
from haven.lib.crypto import EncryptedTextField


class ProtocolTemplate(TenantModel, Versioned):
    """One agency's protocol for a kind of case ("Homicide survivors"), editable by its
    coordinators. `key` is stable: outreach rules and the shipped starting set name it."""

    key = models.SlugField(max_length=40)
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    # PMT victimization codes: a case opened with one of them starts this protocol.
    victimizations = models.JSONField(default=list, blank=True)
    # The public documents the steps come from: [{"title": ..., "url": ...}].
    sources = models.JSONField(default=list, blank=True)
    is_active = models.BooleanField(default=True)
    updated_by = models.ForeignKey(
        "agencies.Membership", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "key"], name="protocol_template_key_unique")
        ]

    def __str__(self) -> str:
        return self.name


class ProtocolStep(TenantModel):
    """A step of a template: what, who (a role), and when, counted in hours from the protocol's
    start or from the completion of an earlier step (`after`, that step's key)."""

    template = models.ForeignKey(ProtocolTemplate, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField(default=0)
    key = models.SlugField(max_length=40)
    title = models.CharField(max_length=200)
    role = models.CharField(max_length=20)  # a caseworker Role value (checked by the service)
    after = models.SlugField(max_length=40, blank=True)  # empty: from the protocol's start
    due_hours = models.IntegerField(default=24)
    # PMT service codes (assistance's catalog, "B2", "D3") the step usually leads to.
    services = models.JSONField(default=list, blank=True)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["template", "key"], name="protocol_step_key_unique")
        ]

    def __str__(self) -> str:
        return self.title


class StartedBy(models.TextChoices):
    RULE = "rule", _("An outreach rule")
    VICTIMIZATION = "victimization", _("The case's victimization type")
    HAND = "hand", _("Started by hand")


class CaseProtocol(TenantModel):
    """A protocol running on a case: at most one per template and case."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="+")
    template = models.ForeignKey(ProtocolTemplate, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=120)  # the template's name when it started
    started_at = models.DateTimeField(default=timezone.now)
    started_by = models.ForeignKey(
        "agencies.Membership", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    source = models.CharField(max_length=20, choices=StartedBy.choices)
    completed_at = models.DateTimeField(null=True, blank=True)  # every step done or skipped

    class Meta:
        ordering = ["started_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "template"], name="case_protocol_unique")
        ]
        indexes = [models.Index(fields=["agency", "started_at"])]

    def __str__(self) -> str:
        return self.name


class StepStatus(models.TextChoices):
    # To do: due at due_at (empty while it waits for an earlier step).
    OPEN = "open", _("To do")
    DONE = "done", _("Done")
    # Not needed on this case; skip_reason says why.
    SKIPPED = "skipped", _("Skipped")


class CaseStep(TenantModel):
    """One step of a running protocol, copied from its template step when the protocol started."""

    protocol = models.ForeignKey(CaseProtocol, on_delete=models.CASCADE, related_name="steps")
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="+")
    position = models.PositiveSmallIntegerField(default=0)
    key = models.SlugField(max_length=40)
    title = models.CharField(max_length=200)
    role = models.CharField(max_length=20)
    after = models.SlugField(max_length=40, blank=True)
    due_hours = models.IntegerField(default=24)
    services = models.JSONField(default=list, blank=True)
    notes = models.TextField(blank=True)
    due_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=StepStatus.choices, default=StepStatus.OPEN)
    finished_at = models.DateTimeField(null=True, blank=True)
    finished_by = models.ForeignKey(
        "agencies.Membership", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    skip_reason = models.CharField(max_length=200, blank=True)
    # The specialist's note on how it went (privileged, like every case note).
    note = EncryptedTextField(blank=True)

    class Meta:
        ordering = ["position", "id"]
        indexes = [
            models.Index(fields=["agency", "status", "due_at"]),
            models.Index(fields=["case", "status"]),
        ]

    def __str__(self) -> str:
        return self.title

    def is_late(self, now=None) -> bool:
        return (
            self.status == StepStatus.OPEN
            and self.due_at is not None
            and self.due_at < (now or timezone.now())
        )
