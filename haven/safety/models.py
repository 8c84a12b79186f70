import json

from django.db import models
from django.utils import timezone

from haven.core.models import TenantModel
from haven.lib.crypto import EncryptedTextField
from haven.people.models import LANGUAGES
from haven.safety import sections as plan_sections


class SafetyPlan(TenantModel):
    """One person's safety plan: the plan itself is its revisions, the newest being the plan in
    force. Kept per person, not per case, so the plan follows the person from case to case; it
    is reached only through a case the reader may see on which the person is the primary
    victim or someone the case serves (safety.access).

    Written only by safety.services.safety_plan_revise, which also keeps the three fields
    below that let the case page show the plan's state without reading a revision.
    """

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    # The number of the newest revision (0 before the first): bumped by a conditional update,
    # so two specialists saving at once get numbers one apart, never the same one.
    revision_count = models.PositiveIntegerField(default=0)
    revised_at = models.DateTimeField(null=True, blank=True)
    revised_by = models.ForeignKey(
        "agencies.Membership", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["agency", "person"], name="safety_plan_one_per_person")
        ]

    def __str__(self) -> str:
        return f"Safety plan of person {self.person_id}"


class SafetyPlanRevision(TenantModel):
    """One version of a safety plan. Revisions are never edited or deleted: a change is a new
    revision, so the history of what the person and the specialist agreed stays whole.

    The sections' text is sensitive (where the person would go, whom they would call, their
    code word), so all of it is one JSON object encrypted in `content`; the note on what
    changed is encrypted too. Only the names of the sections that changed are kept in clear.
    """

    plan = models.ForeignKey(SafetyPlan, on_delete=models.PROTECT, related_name="revisions")
    number = models.PositiveIntegerField()
    # The case it was written through (its timeline shows the revision).
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+")
    # {"warning_signs": "...", ...}: every key of sections.SECTION_KEYS, "" when not filled.
    content = EncryptedTextField()
    # The language the plan is printed in (the person's), an ISO 639-1 code.
    language = models.CharField(max_length=8)
    note = EncryptedTextField(blank=True)
    # Keys of the sections whose text differs from the previous revision (all filled ones for
    # the first); section names, never their text.
    changed = models.JSONField(default=list, blank=True)
    created_by = models.ForeignKey(
        "agencies.Membership", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="safety_revision_number")
        ]

    def __str__(self) -> str:
        return f"Revision {self.number} of safety plan {self.plan_id}"

    def save(self, *args, **kwargs):
        # Key rotation rewrites the ciphertext with a queryset update, which stays possible.
        if not self._state.adding:
            raise PermissionError("A safety plan revision is never changed: write a new one.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("A safety plan revision is never deleted.")

    @property
    def sections(self) -> dict[str, str]:
        stored = json.loads(self.content) if self.content else {}
        return {key: stored.get(key, "") for key in plan_sections.SECTION_KEYS}

    @property
    def language_name(self) -> str:
        return dict(LANGUAGES).get(self.language, self.language)

    @property
    def changed_headings(self) -> list[str]:
        return [plan_sections.heading(key) for key in self.changed]
