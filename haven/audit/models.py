"""The access log: append-only and hash-chained, one chain per agency.

Each event's hash covers its own fields and the previous event's hash, so changing or
deleting any event breaks every hash after it; `manage.py audit_verify` finds the first break.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    SIGN_IN = "auth.sign_in", _("Signed in")
    SIGN_IN_FAILED = "auth.sign_in_failed", _("Sign-in failed")
    SIGN_OUT = "auth.sign_out", _("Signed out")
    CASE_LIST = "case.list", _("Listed cases")
    CASE_VIEW = "case.view", _("Viewed a case")
    CASE_CREATE = "case.create", _("Opened a case")
    CASE_ASSIGN = "case.assign", _("Assigned a case")
    CASE_STATUS = "case.status", _("Changed a case's status")
    CASE_CLOSURE_REVIEW = "case.closure_review", _("Reviewed a case's closing")
    CASE_EXPORT = "case.export", _("Exported cases")
    CASE_PERSON_ADD = "case.person_add", _("Added a person to a case")
    SERVED_STATUS_VIEW = "case.served_status", _("Looked up whether a person is served")
    # An officer's scene referral (haven.intake); the stored strings predate the intake app.
    SCENE_REFERRAL = "case.referral", _("Referred a victim from the scene")
    SCENE_REFERRAL_ALERT = "case.referral_alert", _("Alerted specialists to a scene referral")
    # The officer's card sent to the victim as a text (haven.intake.card_text).
    CARD_TEXT = "case.card_text", _("Sent the victim the officer's card by text")
    ON_CALL_SET = "agency.on_call", _("Set who is on call")
    AGENCY_SETTINGS = "agency.settings", _("Changed the agency's settings")
    DISTRICT_SAVE = "agency.district_save", _("Added or renamed a district")
    MEMBER_DISTRICT = "agency.member_district", _("Set a member's district")
    PERSON_VIEW = "person.view", _("Viewed a person")
    PERSON_CREATE = "person.create", _("Added a person")
    PERSON_UPDATE = "person.update", _("Changed a person")
    PERSON_SEARCH = "person.search", _("Searched for a person")
    CONTACT_POINT_ADD = "person.contact_point_add", _("Added a contact point")
    CONTACT_LOG = "contact.log", _("Logged a contact")
    NOTE_ADD = "note.add", _("Added a note")
    TASK_ADD = "task.add", _("Added a task")
    TASK_COMPLETE = "task.complete", _("Completed a task")
    AGGREGATES_VIEW = "reports.view", _("Viewed aggregate numbers")
    AUDIT_VIEW = "audit.view", _("Read the access log")
    AUDIT_VERIFY = "audit.verify", _("Verified the access log")
    KEYS_ROTATE = "keys.rotate", _("Re-encrypted fields with a new key")
    BACKUP = "ops.backup", _("Backed up the database")
    RESTORE = "ops.restore", _("Restored the database from a backup")
    DATA_LOAD = "data.load", _("Loaded data in bulk")
    INCIDENT_IMPORT = "incident.import", _("Imported incidents")
    INCIDENT_UPDATE = "incident.update", _("Updated an incident from a new export")
    INCIDENT_INVESTIGATION = (
        "incident.investigation",
        _("Set a report's investigation status or detective by hand"),
    )
    INCIDENT_MATCH_LINK = "incident.match_link", _("Linked a person on a report to a known person")
    INCIDENT_MATCH_REJECT = "incident.match_reject", _("Rejected a possible match")
    IMPORT_RUNS_VIEW = "incident.import_runs_view", _("Read the import log")
    MATCH_REVIEW_LIST = "incident.match_list", _("Listed possible matches to review")
    API_TOKEN_CREATE = "agency.api_token_create", _("Created an API token")
    API_TOKEN_REVOKE = "agency.api_token_revoke", _("Revoked an API token")
    API_TOKEN_REFUSED = "agency.api_token_refused", _("Refused an API token")
    OUTREACH_RULE_SAVE = "agency.outreach_rule_save", _("Saved an outreach rule")
    OUTREACH_OPEN = "incident.outreach_open", _("Opened outreach cases from reports")
    ONCALL_SHIFT_ADD = "oncall.shift_add", _("Added an on-call shift")
    ONCALL_SHIFT_REMOVE = "oncall.shift_remove", _("Removed an on-call shift")
    ONCALL_PATTERN_CHANGE = "oncall.pattern", _("Changed the weekly on-call pattern")
    ONCALL_HOLIDAY_ADD = "oncall.holiday_add", _("Added a holiday to the on-call roster")
    ONCALL_HOLIDAY_REMOVE = "oncall.holiday_remove", _("Removed a holiday from the on-call roster")
    ONCALL_SETTINGS = "oncall.settings", _("Changed the on-call coverage settings")
    ONCALL_NOW_VIEW = "oncall.now_view", _("Looked up who is on call")
    CALLOUT_SAVE = "crisis.callout_save", _("Recorded or updated a crisis call-out")
    CALLOUT_VIEW = "crisis.callout_view", _("Viewed a crisis call-out")
    CALLOUT_ALERT = "crisis.callout_alert", _("Alerted the on-call specialist to a call-out")
    ANONYMOUS_CONTACT_SAVE = "crisis.anonymous_contact", _("Recorded an anonymous contact")
    FOLLOWUP_PLAN_SET = "followup.plan_set", _("Set a case's check-in cadence")
    FOLLOWUP_PLAN_STOP = "followup.plan_stop", _("Paused or stopped a case's check-ins")
    FOLLOWUP_SCHEDULE = "followup.schedule", _("Scheduled a check-in or court appointment")
    FOLLOWUP_COMPLETE = "followup.complete", _("Completed a follow-up")
    FOLLOWUP_SKIP = "followup.skip", _("Skipped or canceled a follow-up")
    FOLLOWUP_REASSIGN = "followup.reassign", _("Reassigned a follow-up")
    FOLLOWUP_LIST = "followup.list", _("Listed follow-ups")
    FOLLOWUP_DIGEST = "followup.digest", _("Emailed a specialist their follow-ups due")
    FOLLOWUP_RULE_SAVE = "agency.followup_rule_save", _("Saved a follow-up rule")
    FOLLOWUP_SETTINGS = "agency.followup_settings", _("Changed the follow-up settings")
    SAFETY_PLAN_VIEW = "safety.plan_view", _("Viewed a safety plan")
    SAFETY_PLAN_REVISE = "safety.plan_revise", _("Wrote or revised a safety plan")
    SAFETY_PLAN_PRINT = "safety.plan_print", _("Printed a safety plan")
    CASE_PRIORITY = "case.priority", _("Changed a case's priority")
    LETHALITY_SCREEN = "lethality.screen", _("Recorded a lethality screen")
    LETHALITY_VIEW = "lethality.view", _("Viewed a lethality screen")
    LETHALITY_HOTLINE = "lethality.hotline", _("Recorded a lethality screen's hotline follow-up")
    LETHALITY_ALERT = "lethality.alert", _("Alerted specialists to a high-danger screen")
    SERVICE_PROVIDE = "service.provide", _("Recorded a service provided")
    SERVICE_REMOVE = "service.remove", _("Removed a service entry")
    REPORT_GOALS_SAVE = "reports.goals_save", _("Changed the agency's report goals")
    PMT_REPORT = "reports.pmt", _("Downloaded the PMT quarterly report")
    PMT_FREEZE = "reports.pmt_freeze", _("Froze a quarter's PMT report")
    RETENTION_SCHEDULE_SAVE = "retention.schedule_save", _("Saved a retention schedule")
    LEGAL_HOLD_PLACE = "retention.hold_place", _("Placed a legal hold")
    LEGAL_HOLD_RELEASE = "retention.hold_release", _("Released a legal hold")
    PURGE_PROPOSE = "retention.purge_propose", _("Proposed records for destruction")
    PURGE_VIEW = "retention.purge_view", _("Read a list of records due for destruction")
    PURGE_REJECT = "retention.purge_reject", _("Rejected a proposed destruction")
    PURGE_REFUSED = "retention.purge_refused", _("Was refused a destruction")
    DESTRUCTION_CERTIFICATE = (
        "retention.certificate",
        _("Destroyed records (certificate of destruction)"),
    )
    CERTIFICATE_VIEW = "retention.certificate_view", _("Read a certificate of destruction")
    SURVEY_INVITE = "reports.survey_invite", _("Sent a satisfaction survey link")
    SURVEY_ANSWER = "reports.survey_answer", _("A satisfaction survey was answered")
    CONSENT_RECORD = "consent.record", _("Recorded a release of information")
    CONSENT_REVOKE = "consent.revoke", _("Revoked a release of information")
    CONSENT_REFUSED = "consent.refused", _("Refused a disclosure no release covers")
    CONSENT_FORM = "consent.form", _("Printed a release of information form")
    CONSENT_SETTINGS = "consent.settings", _("Changed the release-of-information settings")
    PARTNER_REFERRAL_PROPOSE = "partner_referral.propose", _("Proposed a partner referral")
    PARTNER_REFERRAL_SEND = "partner_referral.send", _("Sent a partner referral")
    PARTNER_REFERRAL_ANSWER = "partner_referral.answer", _("Recorded a partner's answer")
    PARTNER_REFERRAL_WITHDRAW = "partner_referral.withdraw", _("Withdrew a partner referral")
    PARTNER_REFERRAL_EXPIRE = "partner_referral.expire", _("Expired an unanswered referral")
    PARTNER_REFERRAL_LINK = "partner_referral.link", _("Sent a partner a new referral link")
    PARTNER_REFERRAL_UNLINK = "partner_referral.unlink", _("Revoked a partner's referral link")
    PARTNER_REFERRAL_VIEW = "partner_referral.view", _("A partner opened a referral link")
    PARTNER_REFERRAL_REFUSED = "partner_referral.refused", _("Refused a partner referral link")
    PARTNER_REFERRAL_LIST = "partner_referral.list", _("Listed partner referrals")
    PARTNER_ORG_SAVE = "partner.org_save", _("Added or changed a partner organization")
    PARTNER_SERVICE_SAVE = "partner.service_save", _("Added or changed a partner's service")
    PARTNER_LOCATION_SAVE = "partner.location_save", _("Added or changed a partner's location")
    PARTNER_DETAIL_SAVE = "partner.detail_save", _("Changed a partner's hours or contacts")
    PARTNER_IMPORT = "partner.import", _("Imported a partner directory (HSDS)")
    PARTNER_EXPORT = "partner.export", _("Exported the partner directory (HSDS)")
    PARTNER_SETTINGS = "partner.settings", _("Changed the partner directory settings")
    MOU_SAVE = "mou.save", _("Recorded or changed a partner MOU")
    MOU_REMINDER = "mou.reminder", _("Reminded coordinators of a lapsing MOU")
    COMPENSATION_CREATE = "compensation.create", _("Started a compensation claim")
    COMPENSATION_UPDATE = "compensation.update", _("Changed a compensation claim's facts")
    COMPENSATION_STATUS = "compensation.status", _("Moved a compensation claim's status")
    COMPENSATION_EXPENSE = "compensation.expense", _("Added or changed a claim's expense")
    COMPENSATION_PAYMENT = "compensation.payment", _("Recorded a compensation payment")
    COMPENSATION_VIEW = "compensation.view", _("Viewed a compensation claim")
    COMPENSATION_LIST = "compensation.list", _("Listed compensation claims")
    COMPENSATION_PACKET = "compensation.packet", _("Downloaded a compensation packet")
    RESTITUTION_ORDER = "restitution.order", _("Recorded a restitution order")
    RESTITUTION_PAYMENT = "restitution.payment", _("Recorded a restitution payment")
    RESTITUTION_STATUS = "restitution.status", _("Closed or reopened a restitution order")
    RESTITUTION_VIEW = "restitution.view", _("Viewed a restitution order")
    NOTICE_QUEUE = "notice.queue", _("Queued a message to a victim")
    NOTICE_SENT = "notice.sent", _("Sent a message to a victim")
    NOTICE_FAILED = "notice.failed", _("A message to a victim failed")
    NOTICE_UNCERTAIN = "notice.uncertain", _("A message send was interrupted (uncertain)")
    NOTICE_CANCEL = "notice.cancel", _("Cancelled a message to a victim")
    NOTICE_RETRY = "notice.retry", _("Retried a message to a victim")
    NOTICE_RELEASE = "notice.release", _("Sent a held message after review")
    NOTICE_DONE = "notice.done", _("Logged a letter mailed or a call made")
    NOTICE_LETTER = "notice.letter", _("Downloaded a letter to a victim")
    NOTICE_OPT_OUT = "notice.opt_out", _("Recorded a victim's opt-out from messages")
    NOTICE_OPT_IN = "notice.opt_in", _("Recorded a victim opting back in to messages")
    NOTICE_SETTINGS = "notice.settings", _("Changed the notice settings")
    NOTICE_LIST = "notice.list", _("Listed messages to victims needing staff")
    STAFF_ALERT_FAILED = "notice.alert_failed", _("An alert to staff or a partner failed")
    CLOCK_DIGEST = "notice.clock_digest", _("Sent the 24-hour clock's warnings")
    NOTICE_HELD_SEND = "notice.held_send", _("Sent a held automatic message after review")
    NOTICE_HELD_DISCARD = "notice.held_discard", _("Discarded a held automatic message")
    NOTICE_AUTO_RULES = "notice.auto_rules", _("Changed which automatic messages are sent")
    NOTICE_REPLY = "notice.reply", _("A text from a victim landed on a case")
    NOTICE_REPLY_LIST = "notice.reply_list", _("Listed texts from victims needing staff")
    NOTICE_REPLY_HANDLED = "notice.reply_handled", _("Handled a text from a victim")
    COURT_CASE_SAVE = "justice.court_case_save", _("Added or changed a court case")
    COURT_EVENT_SAVE = "justice.court_event_save", _("Recorded or changed a court event")
    CUSTODY_EVENT_SAVE = "justice.custody_event_save", _("Recorded a custody event")
    JUSTICE_IMPORT = "justice.import", _("Imported court and custody events")
    OBLIGATION_CREATE = "justice.obligation_create", _("Opened victims' rights obligations")
    PROTOCOL_TEMPLATE_SAVE = "protocol.template_save", _("Added or changed a protocol template")
    PROTOCOL_START = "protocol.start", _("Started a protocol on a case")
    PROTOCOL_STEP = "protocol.step", _("Checked off or skipped a protocol step")
    FUNDING_SOURCE_SAVE = "funding.source_save", _("Added or changed a funding source")
    TIME_SPLIT_SET = "funding.time_split", _("Set a member's time split across funding sources")
    FUND_DEPOSIT = "funding.deposit", _("Deposited money in an emergency fund")
    EMERGENCY_REQUEST = "funding.request", _("Requested emergency financial assistance")
    EMERGENCY_DECIDE = "funding.decide", _("Approved or declined emergency assistance")
    EMERGENCY_DISBURSE = "funding.disburse", _("Disbursed emergency financial assistance")
    EMERGENCY_RECEIPT = "funding.receipt", _("Attached or opened an emergency assistance receipt")
    GRANT_REPORT = "reports.grant", _("Downloaded a per-grant report")
    # Files on a case or a person (haven.documents).
    DOCUMENT_UPLOAD = "document.upload", _("Attached a document")
    DOCUMENT_VIEW = "document.view", _("Viewed a document's page")
    DOCUMENT_DOWNLOAD = "document.download", _("Downloaded a document")
    DOCUMENT_DELETE = "document.delete", _("Deleted a document")
    DOCUMENT_SHARE = "document.share", _("Shared a document outside Haven under a release")
    OBLIGATION_HONOR = "justice.obligation_honor", _("Recorded a victims' right honored")
    OBLIGATION_CLOSE = "justice.obligation_close", _("Waived or closed a rights obligation")
    OBLIGATION_LIST = "justice.obligation_list", _("Listed rights obligations")
    JUSTICE_SETTINGS = "justice.settings", _("Changed the rights jurisdictions")
    CALENDAR_FEED = "justice.calendar_feed", _("Made or revoked a victim's court calendar link")
    CALENDAR_READ = "justice.calendar_read", _("A victim's court calendar was read")
    CALENDAR_VIEW = "justice.calendar_view", _("Viewed a victim's court calendar page")
    # The victim's private status page (haven.portal).
    PORTAL_OFFER = "portal.offer", _("Offered a victim the status page")
    PORTAL_LINK = "portal.link", _("Sent a victim a new status page link")
    PORTAL_RELEASE = "portal.release", _("Changed what a victim's status page shows")
    PORTAL_REVOKE = "portal.revoke", _("Revoked a victim's status page")
    PORTAL_GATE = "portal.gate", _("A status page link was opened (code asked)")
    PORTAL_CODE = "portal.code", _("Sent a one-time code for the status page")
    PORTAL_SIGN_IN = "portal.sign_in", _("A victim opened their status page")
    PORTAL_REFUSED = "portal.refused", _("Refused a status page code, link or session")
    PORTAL_VIEW = "portal.view", _("A victim read their status page")
    PORTAL_CALENDAR = "portal.calendar", _("A victim downloaded their court calendar")
    PORTAL_CHANGE = "portal.change", _("A victim changed their choices on the status page")
    CONTACT_POINT_SAFETY = "person.contact_point_safety", _("Changed a contact point's safety")
    SSO_SETTINGS = "sso.settings", _("Changed the agency's single sign-on")
    SSO_SIGN_IN = "sso.sign_in", _("Signed in through the agency's identity provider")
    SSO_REFUSED = "sso.refused", _("Refused a sign-in through the agency's identity provider")
    SSO_RECONFIRM = "sso.reconfirm", _("Confirmed who they are again at the identity provider")
    SSO_PASSWORD_REFUSED = "sso.password_refused", _("Refused a password (the agency uses SSO)")
    # The installation's operator and the team (haven.platform, haven.accounts).
    AGENCY_CREATE = "platform.agency_create", _("Created an agency")
    AGENCY_SUSPEND = "platform.agency_suspend", _("Suspended an agency")
    AGENCY_REACTIVATE = "platform.agency_reactivate", _("Reactivated an agency")
    OPERATOR_INVITE = "platform.operator_invite", _("Invited an operator")
    STATEWIDE_VIEW = "platform.statewide_view", _("Viewed the statewide totals")
    STATEWIDE_EXPORT = "platform.statewide_export", _("Exported the statewide totals")
    PROGRAM_ACTIVITY = "program.activity", _("Recorded a training, event, meeting or case review")
    PROGRAM_EXPORT = "program.export", _("Exported the program's activities")
    VOLUNTEER_PROFILE = "program.volunteer_profile", _("Kept a volunteer's file")
    VOLUNTEER_HOURS = "program.volunteer_hours", _("Logged a volunteer's hours")
    MEMBER_INVITE = "team.invite", _("Invited a member")
    INVITATION_ACCEPT = "team.invitation_accept", _("Accepted an invitation")
    INVITATION_RENEW = "team.invitation_renew", _("Sent a new invitation link")
    INVITATION_REFUSED = "team.invitation_refused", _("Refused an invitation link")
    MEMBER_ROLE = "team.member_role", _("Changed a member's role")
    MEMBER_DEACTIVATE = "team.member_deactivate", _("Deactivated a member")
    MEMBER_REACTIVATE = "team.member_reactivate", _("Reactivated a member")
    TWO_FACTOR_RESET = "team.two_factor_reset", _("Reset a member's two-step sign-in")
    TWO_FACTOR_REQUIRE = "team.two_factor_require", _("Changed the two-step sign-in requirement")
    RECOVERY_CODES = "auth.recovery_codes", _("Made new recovery codes")
    SIGN_IN_REFUSED = "auth.sign_in_refused", _("Refused a sign-in (deactivated or suspended)")
    AGENCY_PICK = "auth.agency_pick", _("Chose the agency to work in")
    LANGUAGE_CHANGE = "auth.language", _("Chose the language of their screens")
    PASSWORD_CHANGE = "auth.password_change", _("Changed their password")
    PASSWORD_RESET_REQUEST = "auth.password_reset_request", _("Asked for a password reset")
    PASSWORD_RESET = "auth.password_reset", _("Reset their password by email")
    PASSKEY_ADD = "auth.passkey_add", _("Added a passkey")
    PASSKEY_REMOVE = "auth.passkey_remove", _("Removed a passkey")
    # Who has opened a record (haven.cases.reads): the panel, a refusal, the auditor's report.
    READS_VIEW = "audit.reads_view", _("Saw who has opened a record")
    READS_REFUSED = "audit.reads_refused", _("Refused a look at who has opened a record")
    READS_REPORT = "audit.reads_report", _("Made a person's access report")
    # A purge took the words typed about destroyed records out of their events (docs/retention.md).
    REDACT = "audit.redact", _("Redacted the words of events about destroyed records")


SYSTEM_CHAIN = "system"

# Reads a page or an answer records for every view: they are appended unsealed (no seq, no
# hash) so that viewing a record never waits on, nor holds, its chain's head. The worker seals
# them into the chain in order every minute (audit.tasks.seal_audit_events), as does the next
# write to the chain and `audit_verify`; verification counts an event left unsealed longer than
# UNSEALED_MAX_MINUTES as a break.
SEALED_LATER = frozenset(
    {
        AuditAction.CASE_LIST,
        AuditAction.CASE_VIEW,
        AuditAction.PERSON_VIEW,
        AuditAction.PERSON_SEARCH,
        AuditAction.SERVED_STATUS_VIEW,
        AuditAction.SAFETY_PLAN_VIEW,
        AuditAction.LETHALITY_VIEW,
        AuditAction.COMPENSATION_VIEW,
        AuditAction.COMPENSATION_LIST,
        AuditAction.RESTITUTION_VIEW,
        AuditAction.CALLOUT_VIEW,
        AuditAction.FOLLOWUP_LIST,
        AuditAction.NOTICE_LIST,
        AuditAction.NOTICE_REPLY_LIST,
        AuditAction.OBLIGATION_LIST,
        AuditAction.PARTNER_REFERRAL_LIST,
        AuditAction.MATCH_REVIEW_LIST,
        AuditAction.CALENDAR_VIEW,
    }
)
UNSEALED_MAX_MINUTES = 10


class AuditChainHead(models.Model):
    """The last event of one chain; updating it first serializes writers to that chain."""

    chain = models.CharField(max_length=40, primary_key=True)
    seq = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="")

    def __str__(self) -> str:
        return f"chain {self.chain} at entry {self.seq}"


class AppendOnlyQuerySet(models.QuerySet):
    """Refuses update() and delete(); a subclass names what it guards in `refusal`."""

    refusal = "The audit log is append-only."

    def update(self, **kwargs):
        raise PermissionError(self.refusal)

    def delete(self):
        raise PermissionError(self.refusal)


class AppendOnlyModel(models.Model):
    """A row saved once and never changed or deleted through the ORM (on PostgreSQL a trigger
    refuses it in the database too)."""

    refusal = "The audit log is append-only."

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError(self.refusal)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError(self.refusal)


class AuditEventQuerySet(AppendOnlyQuerySet):
    def seal(self, event_id: int, *, seq: int, prev_hash: str, hash: str) -> int:
        """The one change the log allows: an unsealed event gets its place in its chain, once
        (only while it has none: a sealed event is never touched). Returns the rows sealed."""
        unsealed = self.filter(pk=event_id, seq__isnull=True)
        return models.QuerySet.update(unsealed, seq=seq, prev_hash=prev_hash, hash=hash)

    def redact(self, event_id: int, *, reason: str, details: dict, redacted_by: int) -> int:
        """The other change the log allows: a sealed event's typed words (reason, free-text
        details) taken out by a purge, once, naming the chained event that vouches for what
        remains (haven.audit.services.audit_redact). Returns the rows changed."""
        sealed = self.filter(pk=event_id, seq__isnull=False, redacted_by__isnull=True)
        return models.QuerySet.update(
            sealed, reason=reason, details=details, redacted_by=redacted_by
        )

    def bulk_create(self, objs, *args, **kwargs):
        # An upsert (INSERT ... ON CONFLICT DO UPDATE) would rewrite existing events.
        if kwargs.get("update_conflicts"):
            raise PermissionError("The audit log is append-only.")
        return super().bulk_create(objs, *args, **kwargs)


class AuditEvent(AppendOnlyModel):
    """Who did what to which record, when, from where, and why (when a reason was asked)."""

    chain = models.CharField(max_length=40)
    # None (with prev_hash and hash empty) until a read (SEALED_LATER) is sealed into its chain.
    seq = models.BigIntegerField(null=True)
    at = models.DateTimeField()
    # No foreign keys: the log must outlive and never block changes to what it describes.
    agency_id = models.BigIntegerField(null=True, db_index=True)
    actor_id = models.BigIntegerField(null=True)
    actor_label = models.CharField(max_length=150)
    role = models.CharField(max_length=20, blank=True)
    # Values of AuditAction. No `choices` on the column: adding an action needs no migration.
    action = models.CharField(max_length=40)
    object_type = models.CharField(max_length=40, blank=True)
    object_id = models.CharField(max_length=40, blank=True)
    ip = models.GenericIPAddressField(null=True)
    user_agent = models.CharField(max_length=300, blank=True)
    reason = models.TextField(blank=True)
    # Non-identifying details: field names changed, ids listed, counts. Never notes or names.
    details = models.JSONField(default=dict, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)
    # Set when a purge redacted this event: the id of the audit.redact event, later in the same
    # chain, whose details hold the digest of what this event still holds (its hash no longer
    # can be recomputed without the words it covered).
    redacted_by = models.BigIntegerField(null=True, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        # Django's internal queries (bulk_update, related deletes) use the base manager: make
        # it the append-only one too, or they would bypass it.
        base_manager_name = "objects"
        # On PostgreSQL the table is partitioned by month of `at` (migration 0009), and a
        # unique constraint there must hold `at`: the database has no constraint of this name,
        # and (chain, seq) is kept unique by a unique index on each partition and, across
        # months, the trigger audit_event_chain_seq_unique (raising the same IntegrityError).
        constraints = [
            models.UniqueConstraint(fields=["chain", "seq"], name="audit_chain_seq_unique")
        ]
        indexes = [
            models.Index(fields=["agency_id", "at"]),
            models.Index(fields=["object_type", "object_id"]),
            models.Index(fields=["actor_id", "at"]),
        ]
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"chain {self.chain}, entry {self.seq}: {self.action} by {self.actor_label}"

    def get_action_display(self) -> str:
        try:
            return AuditAction(self.action).label
        except ValueError:
            return self.action


class AuditArchiveCutQuerySet(AppendOnlyQuerySet):
    refusal = "Archive cuts are append-only."


class AuditArchiveCut(AppendOnlyModel):
    """Where a chain was cut when a month of the log was archived (manage.py
    audit_archive_month): its last entry in that month. verify_chain starts a chain whose
    earlier entries are gone from the cut; the same line is appended to the anchor file, so a
    cut written into the database alone (to hide deleted events) fails `audit_verify --anchors`.
    Append-only: a trigger refuses UPDATE and DELETE on PostgreSQL (migration 0010)."""

    refusal = "Archive cuts are append-only."

    chain = models.CharField(max_length=40)
    seq = models.BigIntegerField()
    hash = models.CharField(max_length=64)
    # The first day of the archived month (UTC).
    month = models.DateField()
    at = models.DateTimeField()

    objects = AuditArchiveCutQuerySet.as_manager()

    class Meta:
        base_manager_name = "objects"
        constraints = [
            models.UniqueConstraint(fields=["chain", "month"], name="audit_archive_cut_unique")
        ]

    def __str__(self) -> str:
        return f"chain {self.chain} cut after entry {self.seq} ({self.month:%Y-%m})"
