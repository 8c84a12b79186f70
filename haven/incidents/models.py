"""Incidents imported from the department's records system, the people on them, and the
matches between those people and the people Haven already knows.

An incident is keyed by its report number within the agency: importing the same report again
updates it in place (see importer.py). Names, birth dates and contact values are encrypted like a
Person's.
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from haven.core.models import TenantModel
from haven.lib.crypto import EncryptedDateField, EncryptedTextField
from haven.lib.reference import choices


class ImportStatus(models.TextChoices):
    # Batches are still being written (or the process died: see docs/import-profiles.md).
    RUNNING = "running", _("Running")
    # Every row was read; bad rows, if any, are listed in `errors`.
    COMPLETED = "completed", _("Completed")
    # Stopped by an error; the batches committed before it stay.
    FAILED = "failed", _("Failed")


class ImportRun(TenantModel):
    """One run of `import_incidents` (or of the API push): what was read and what it changed."""

    profile = models.CharField(max_length=60)
    file_name = models.CharField(max_length=255)
    actor_label = models.CharField(max_length=150)
    status = models.CharField(
        max_length=10, choices=ImportStatus.choices, default=ImportStatus.RUNNING
    )
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    rows_read = models.PositiveIntegerField(default=0)
    rows_bad = models.PositiveIntegerField(default=0)
    incidents_new = models.PositiveIntegerField(default=0)
    incidents_updated = models.PositiveIntegerField(default=0)
    incidents_unchanged = models.PositiveIntegerField(default=0)
    people_linked = models.PositiveIntegerField(default=0)
    people_to_review = models.PositiveIntegerField(default=0)
    # What the agency's outreach rules did with the run's reports (outreach.py).
    cases_opened = models.PositiveIntegerField(default=0)
    outreach_held = models.PositiveIntegerField(default=0)  # excluded or waiting for review
    # The first bad rows: [{"line": 17, "reason": "..."}]. Reasons name columns and codes,
    # never a person's name or contact value.
    errors = models.JSONField(default=list, blank=True)
    failure = models.TextField(blank=True)
    # Department offense codes the profile gave no NIBRS code, with how many times each was read
    # and its description: [{"code": "946", "description": "...", "count": 12}], most read first.
    unmapped_codes = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"import {self.pk} ({self.profile}, {self.file_name})"


class ImportRejectedRow(TenantModel):
    """One row of an import run's file that was refused, with its line and the reason: every one
    of them is kept, for the run's page and its CSV download (ImportRun.errors keeps only the
    first 500, for the page)."""

    run = models.ForeignKey(
        ImportRun, on_delete=models.CASCADE, related_name="rejected_rows", db_index=False
    )
    line = models.PositiveIntegerField()
    # Names columns, formats and codes, never a person's name or contact value.
    reason = models.TextField()

    class Meta:
        indexes = [models.Index(fields=["run", "line"], name="incidents_reject_run_line")]

    def __str__(self) -> str:
        return f"line {self.line}: {self.reason}"


class InvestigationStatus(models.TextChoices):
    """Where the police investigation of a report stands, in Haven's words; a profile maps the
    department's own values to these (LAPD's "Invest Cont" to investigating)."""

    NONE = "", _("Not known")
    INVESTIGATING = "investigating", _("Under investigation")
    ARREST = "arrest", _("Arrest made")
    # Closed by other means (exceptional clearance: LAPD's "Adult Other", "Juv Other").
    CLEARED = "cleared", _("Cleared without an arrest")
    CLOSED = "closed", _("Closed or inactive")


class Incident(TenantModel):
    """One police report, as the records system exported it."""

    report_number = models.CharField(max_length=40)
    reported_at = models.DateTimeField()
    occurred_at = models.DateTimeField(null=True, blank=True)
    district = models.ForeignKey(
        "agencies.District", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The district as exported, kept even when the agency has no District with that code.
    district_code = models.CharField(max_length=20, blank=True)
    beat = models.CharField(max_length=20, blank=True)
    # Block-level text such as "052XX W HURON ST, STREET": never needed to the door.
    location = models.CharField(max_length=200, blank=True)
    domestic_violence = models.BooleanField(default=False)
    weapon = models.BooleanField(default=False)
    firearm = models.BooleanField(default=False)
    # What the records system said last about the investigation (the import writes these) ...
    exported_status = models.CharField(
        max_length=15, choices=InvestigationStatus.choices, blank=True
    )
    exported_detective = models.CharField(max_length=100, blank=True)
    # ... and the latest status and detective, from the export or set by a specialist: a later
    # import changes them only when the export itself changed (investigation.py).
    investigation_status = models.CharField(
        max_length=15, choices=InvestigationStatus.choices, blank=True
    )
    detective = models.CharField(max_length=100, blank=True)
    investigation_changed_at = models.DateTimeField(null=True, blank=True)
    # Who set them last by hand; None when the records system did.
    investigation_changed_by = models.ForeignKey(
        "agencies.Membership", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    source_profile = models.CharField(max_length=60)
    # Keyed digest of everything the profile read for this report: an equal digest on the next
    # import means nothing changed.
    source_hash = models.CharField(max_length=64)
    last_run = models.ForeignKey(
        ImportRun,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,  # never looked up by; one index less to keep up on every insert
    )
    imported_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "report_number"], name="incident_report_number_unique"
            )
        ]
        indexes = [models.Index(fields=["agency", "reported_at"])]
        ordering = ["-reported_at", "-id"]

    def __str__(self) -> str:
        return f"report {self.report_number}"


class IncidentOffense(TenantModel):
    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="offenses")
    code = models.CharField(max_length=20)  # the department's own code (IUCR, LAPD crime code)
    description = models.CharField(max_length=200, blank=True)
    nibrs_code = models.CharField(max_length=4, blank=True)  # "" where it does not map

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.code} {self.description}".strip()


class PersonRole(models.TextChoices):
    VICTIM = "victim", _("Victim")
    SUSPECT = "suspect", _("Suspect")
    WITNESS = "witness", _("Witness")
    OTHER = "other", _("Other")


class LinkSource(models.TextChoices):
    NONE = "", _("Not linked")
    # Linked by the import on an exact name + birth date, phone or email match.
    EXACT = "exact", _("Exact match")
    # Linked by a specialist deciding a MatchCandidate; a later import never undoes it.
    REVIEW = "review", _("Decided in review")
    # Nobody known matched: the outreach rules added the person from the report.
    CREATED = "created", _("Added from the report")


class IncidentPerson(TenantModel):
    """Someone on a report. Open-data exports name nobody: then the person is unknown and only
    their demographics (if any) are kept."""

    # Indexed by the (incident, role, position) constraint already.
    incident = models.ForeignKey(
        Incident, on_delete=models.CASCADE, related_name="people", db_index=False
    )
    # The export's sequence number for the person, or their order among the report's people
    # of that role: with the role, how a re-export's person is recognized as the same one.
    position = models.PositiveSmallIntegerField()
    role = models.CharField(max_length=10, choices=PersonRole.choices)
    # Encrypted at rest like a Person's (docs/security.md). Nothing looks a report's person up
    # by name in SQL: the import matches them to people through the people app's blind
    # indexes, computed from these values in Python, so these rows carry no index of their own.
    first_name = EncryptedTextField(max_length=100, blank=True)
    last_name = EncryptedTextField(max_length=100, blank=True)
    date_of_birth = EncryptedDateField(null=True, blank=True)
    age = models.PositiveSmallIntegerField(null=True, blank=True)
    # When the export gives an age range ("18-24") instead of an age: its PMT age band, or
    # "unknown" where the range crosses a band. Blank when there is an age, or nothing.
    age_band = models.CharField(max_length=10, blank=True)
    sex = models.CharField(
        max_length=30, choices=choices("pmt", "gender_identity"), default="not_reported"
    )
    race_ethnicity = models.CharField(
        max_length=30, choices=choices("pmt", "race_ethnicity"), default="not_reported"
    )
    phone = EncryptedTextField(blank=True)  # E.164 when it parses, else as exported
    email = EncryptedTextField(blank=True)
    person = models.ForeignKey(
        "people.Person",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="incident_appearances",
    )
    link_source = models.CharField(
        max_length=10, choices=LinkSource.choices, default=LinkSource.NONE, blank=True
    )
    # Set when a later export of the report no longer lists this person. The row is kept: a
    # specialist may already be working with them.
    dropped_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["incident", "role", "position"], name="incident_person_position_unique"
            )
        ]
        ordering = ["incident", "role", "position"]

    def __str__(self) -> str:
        name = f"{self.first_name} {self.last_name}".strip()
        return f"{self.get_role_display()} {name or '(unknown)'}"

    @property
    def is_named(self) -> bool:
        return bool(self.first_name and self.last_name)


class MatchStatus(models.TextChoices):
    # Waiting for a specialist: the import never merges an uncertain match by itself.
    PENDING = "pending", _("To review")
    # The specialist confirmed it: the incident person now points to the person.
    LINKED = "linked", _("Linked")
    # Not the same person (or another candidate was linked instead).
    REJECTED = "rejected", _("Rejected")


class MatchCandidate(TenantModel):
    """A person Haven knows who may be the one on the report, for a specialist to decide."""

    incident_person = models.ForeignKey(
        IncidentPerson, on_delete=models.CASCADE, related_name="candidates"
    )
    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="match_candidates"
    )
    score = models.PositiveSmallIntegerField()  # 0-100, how alike the names are
    # Why it was proposed, in words a specialist reads: ["same name", "different birth date"].
    reasons = models.JSONField(default=list)
    status = models.CharField(
        max_length=10, choices=MatchStatus.choices, default=MatchStatus.PENDING
    )
    decided_by = models.ForeignKey(
        "agencies.Membership",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(blank=True)  # the specialist's, when rejecting
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["incident_person", "person"], name="match_candidate_unique"
            )
        ]
        indexes = [models.Index(fields=["agency", "status", "created_at"])]
        ordering = ["-score", "id"]

    def __str__(self) -> str:
        return f"candidate {self.person_id} for incident person {self.incident_person_id}"
