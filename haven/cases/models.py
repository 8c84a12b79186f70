from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from haven.core.models import TenantModel
from haven.lib.crypto import EncryptedTextField
from haven.lib.reference import choices


class CaseStatus(models.TextChoices):
    # Opened, nobody has reached the victim yet (the outreach queue).
    NEW = "new", _("New")
    # The victim is being served.
    ACTIVE = "active", _("Active")
    # Services ended; status_reason says why.
    CLOSED = "closed", _("Closed")
    # The victim declined services (always their right).
    DECLINED = "declined", _("Declined services")
    # Every attempt to reach the victim failed.
    UNABLE_TO_CONTACT = "unable_to_contact", _("Unable to contact")


OPEN_STATUSES = (CaseStatus.NEW, CaseStatus.ACTIVE)


class CaseSource(models.TextChoices):
    RECORDS_OUTREACH = "records_outreach", _("Outreach from a police report")
    OFFICER_REFERRAL = "officer_referral", _("Officer referral")
    HOTLINE = "hotline", _("Hotline")
    WALK_IN = "walk_in", _("Walk-in")
    SELF = "self", _("Self-referral")
    PARTNER = "partner", _("Partner referral")


class CloseReason(models.TextChoices):
    GOALS_MET = "goals_met", _("Services completed: goals met")
    NO_FURTHER_NEEDS = "no_further_needs", _("No further services needed")
    VICTIM_REQUEST = "victim_request", _("The victim asked to end services")
    REFERRED = "referred", _("Referred to another program")
    MOVED = "moved", _("Moved out of the service area")
    LOST_CONTACT = "lost_contact", _("Lost contact")
    DECEASED = "deceased", _("The victim died")
    OTHER = "other", _("Other")


class ClosureReview(models.TextChoices):
    NONE = "", _("Not reviewed")
    # Closed by an advocate where the agency wants a supervisor to look before it counts as done.
    PENDING = "pending", _("Waiting for a supervisor's review")
    APPROVED = "approved", _("Closure reviewed")


class Priority(models.TextChoices):
    NORMAL = "normal", _("Normal")
    HIGH = "high", _("High")


class Case(TenantModel):
    """One victim's service episode. A police report is not required."""

    number = models.CharField(max_length=20)
    primary_victim = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="cases_as_victim"
    )
    source = models.CharField(max_length=20, choices=CaseSource.choices)
    # When the need became known: the report time for outreach, the call or referral otherwise.
    received_at = models.DateTimeField()
    report_number = models.CharField(max_length=40, blank=True, db_index=True)
    district = models.ForeignKey(
        "agencies.District", null=True, blank=True, on_delete=models.SET_NULL
    )
    status = models.CharField(max_length=20, choices=CaseStatus.choices, default=CaseStatus.NEW)
    status_reason = models.CharField(max_length=200, blank=True)
    # Why a closed case ended (CloseReason), set with status CLOSED; status_reason has the words.
    close_reason = models.CharField(max_length=20, choices=CloseReason.choices, blank=True)
    closure_review = models.CharField(
        max_length=10, choices=ClosureReview.choices, default=ClosureReview.NONE, blank=True
    )
    closure_reviewed_by = models.ForeignKey(
        "agencies.Membership", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    closure_reviewed_at = models.DateTimeField(null=True, blank=True)
    priority = models.CharField(max_length=10, choices=Priority.choices, default=Priority.NORMAL)
    narrative = EncryptedTextField(blank=True)
    assigned_to = models.ForeignKey(
        "agencies.Membership",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assigned_cases",
    )
    # The first completed contact with the victim; kept by cases.services.contact_log so lists
    # and reports can filter on it without scanning the contact log.
    first_contact_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        "agencies.Membership", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["agency", "number"], name="case_number_unique")
        ]
        indexes = [
            models.Index(fields=["agency", "status", "received_at"]),
            models.Index(fields=["agency", "assigned_to", "status"]),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class CasePageStamp(models.Model):
    """A random value that changes whenever a row the case page shows changes (set by the
    database's triggers, never by Django: cases/page_stamp.py). Read with the case; the case
    page's cache key (cases/page_cache.py). Not a tenant model: it is only ever read through its
    case, and holds nothing but the stamp."""

    case = models.OneToOneField(
        Case,
        primary_key=True,
        on_delete=models.DO_NOTHING,  # the trigger on the case deletes it
        db_constraint=False,
        related_name="page_stamp",
    )
    stamp = models.CharField(max_length=32)

    def __str__(self) -> str:
        return self.stamp


class CaseVictimization(TenantModel):
    """A victimization type (OVC PMT list) the case concerns; a case can have several."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="victimizations")
    code = models.CharField(max_length=40, choices=choices("pmt", "victimization_types"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case", "code"], name="case_victimization_unique")
        ]


class Relation(models.TextChoices):
    FAMILY = "family", _("Family member")
    PARENT_GUARDIAN = "guardian", _("Parent or guardian")
    CHILD = "child", _("Child")
    PARTNER = "partner", _("Spouse or partner")
    FRIEND = "friend", _("Friend")
    WITNESS = "witness", _("Witness")
    OTHER = "other", _("Other")


class CasePerson(TenantModel):
    """Someone other than the primary victim on the case, and whether Haven serves them too."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="related_people")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    relation = models.CharField(max_length=20, choices=Relation.choices)
    is_served = models.BooleanField(default=True)
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case", "person"], name="case_person_unique")
        ]


class Assignment(TenantModel):
    """One stretch of time a specialist held the case: the assignment history."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="assignments")
    assignee = models.ForeignKey(
        "agencies.Membership", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    assigned_by = models.ForeignKey(
        "agencies.Membership", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField(max_length=200, blank=True)
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at"]


class ContactOutcome(models.TextChoices):
    ATTEMPTED = "attempted", _("Attempted")
    COMPLETED = "completed", _("Completed")


class ContactChannel(models.TextChoices):
    PHONE = "phone", _("Phone call")
    TEXT = "text", _("Text message")
    EMAIL = "email", _("Email")
    IN_PERSON = "in_person", _("In person")
    VIDEO = "video", _("Video call")
    LETTER = "letter", _("Letter")


class ContactDirection(models.TextChoices):
    OUTBOUND = "outbound", _("We reached out")
    INBOUND = "inbound", _("They reached us")


class AttemptResult(models.TextChoices):
    NO_ANSWER = "no_answer", _("No answer")
    VOICEMAIL_LEFT = "voicemail_left", _("Left a voicemail")
    MESSAGE_SENT = "message_sent", _("Message sent")
    BUSY = "busy", _("Busy")
    WRONG_NUMBER = "wrong_number", _("Wrong number")
    DISCONNECTED = "disconnected", _("Disconnected")
    UNSAFE = "unsafe", _("Not safe to talk")


class Contact(TenantModel):
    """An entry in the contact log: an attempt or a completed contact."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="contacts")
    # With whom; empty means the primary victim.
    person = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    outcome = models.CharField(max_length=10, choices=ContactOutcome.choices)
    attempt_result = models.CharField(max_length=20, choices=AttemptResult.choices, blank=True)
    channel = models.CharField(max_length=10, choices=ContactChannel.choices)
    direction = models.CharField(max_length=10, choices=ContactDirection.choices)
    occurred_at = models.DateTimeField()
    duration_minutes = models.PositiveIntegerField(null=True, blank=True)
    summary = EncryptedTextField(blank=True)
    logged_by = models.ForeignKey(
        "agencies.Membership", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-occurred_at"]
        indexes = [models.Index(fields=["case", "outcome", "occurred_at"])]


class NoteVisibility(models.TextChoices):
    # Only victim services staff; never an officer, a partner or the prosecution file.
    PRIVILEGED = "privileged", _("Privileged to victim services")
    # May be shared under a consent in force (see partners and releases of information).
    SHAREABLE = "shareable", _("Shareable with consent")


class Note(TenantModel):
    """A case note. Notes are never edited: a correction is a new note."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notes")
    body = EncryptedTextField()
    visibility = models.CharField(
        max_length=12, choices=NoteVisibility.choices, default=NoteVisibility.PRIVILEGED
    )
    author = models.ForeignKey(
        "agencies.Membership", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]


class Task(TenantModel):
    """Something to do on a case by a due time: a follow-up call, a court date, a form."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="tasks")
    title = models.CharField(max_length=200)
    due_at = models.DateTimeField()
    assignee = models.ForeignKey(
        "agencies.Membership", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        "agencies.Membership", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(null=True, blank=True)
    completed_by = models.ForeignKey(
        "agencies.Membership", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["completed_at", "due_at"]
        indexes = [models.Index(fields=["agency", "assignee", "completed_at", "due_at"])]


class CaseEventKind(models.TextChoices):
    CREATED = "created", _("Case opened")
    ASSIGNED = "assigned", _("Assigned")
    STATUS_CHANGED = "status_changed", _("Status changed")
    CONTACT_LOGGED = "contact_logged", _("Contact logged")
    NOTE_ADDED = "note_added", _("Note added")
    TASK_ADDED = "task_added", _("Task added")
    TASK_COMPLETED = "task_completed", _("Task completed")
    PERSON_ADDED = "person_added", _("Person added")
    PRIORITY_CHANGED = "priority_changed", _("Priority changed")
    LETHALITY_SCREEN = "lethality_screen", _("Lethality screen recorded")
    SERVICE_PROVIDED = "service_provided", _("Service provided")
    SERVICE_REMOVED = "service_removed", _("Service entry removed")
    SAFETY_PLAN = "safety_plan", _("Safety plan updated")
    FOLLOW_UP = "follow_up", _("Follow-up")
    REVIEW = "review", _("Closure reviewed")
    SURVEY = "survey", _("Satisfaction survey sent")
    CONSENT = "consent", _("Release of information")
    PARTNER_REFERRAL = "partner_referral", _("Partner referral")
    NOTICE = "notice", _("Message to the victim")
    JUSTICE = "justice", _("Court or custody event")
    COMPENSATION = "compensation", _("Victim compensation or restitution")
    INVESTIGATION = "investigation", _("Police investigation status")
    CRISIS = "crisis", _("Crisis call-out")
    PROTOCOL = "protocol", _("Protocol")
    PORTAL = "portal", _("Victim's status page")
    # The case was discussed at a multidisciplinary case review (haven.program), under a release.
    CASE_REVIEW = "case_review", _("Discussed at a case review")
    # A file attached to the case or deleted from it (haven.documents); never its name.
    DOCUMENT = "document", _("Document")


class CaseEvent(TenantModel):
    """One line of the case timeline, written by the service that made the change.

    `data` holds only what every case reader may see (no note text, no contact summary);
    the linked contact, note or task carries the rest, shown by its own visibility rules.
    """

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    # Values of CaseEventKind; no `choices` on the column, so a new kind needs no migration.
    kind = models.CharField(max_length=20)
    at = models.DateTimeField()
    actor = models.ForeignKey(
        "agencies.Membership", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    data = models.JSONField(default=dict, blank=True)
    contact = models.ForeignKey(
        Contact, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    note = models.ForeignKey(
        Note, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    task = models.ForeignKey(
        Task, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["case", "at"])]

    def get_kind_display(self) -> str:
        try:
            return CaseEventKind(self.kind).label
        except ValueError:
            return self.kind
