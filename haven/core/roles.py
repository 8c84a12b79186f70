"""Roles and what each may do: permissions are data, checked in services and selectors."""

from enum import StrEnum

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    # Civilian victim specialist: works cases, logs contacts, notes, tasks.
    ADVOCATE = "advocate", _("Advocate")
    # Assigns and balances caseloads, sees every case of the agency.
    SUPERVISOR = "supervisor", _("Supervisor")
    # Configures the agency (districts, users, rules) and can work cases.
    COORDINATOR = "coordinator", _("Coordinator")
    # Sworn officer or detective: refers victims from the scene and sees that a victim is being
    # served and by whom, nothing more.
    OFFICER = "officer", _("Officer")
    # Analyst or grant manager: aggregate numbers only.
    ANALYST = "analyst", _("Analyst")
    # Reads and verifies the access log.
    AUDITOR = "auditor", _("Auditor")
    # Volunteer or intern: helps on the unit's cases and events under supervision; logs
    # contacts and shareable notes, never privileged notes, never exports (docs/program.md).
    VOLUNTEER = "volunteer", _("Volunteer or intern")


class Perm(StrEnum):
    CASE_VIEW = "case.view"  # the case record, its people, contacts, notes and tasks
    CASE_VIEW_ALL = "case.view_all"  # every case of the agency, not just one's own caseload
    CASE_CREATE = "case.create"
    CASE_WORK = "case.work"  # log contacts, add notes and tasks, change status
    CASE_ASSIGN = "case.assign"  # assign or reassign a case to any specialist
    CASE_EXPORT = "case.export"  # download case lists (with a reason, after re-confirming)
    SERVED_STATUS = "case.served_status"  # "is being served, by whom" without the record
    # Refer a victim from the scene: opens a case the referrer never reads (intake.scene_referral).
    SCENE_REFERRAL = "intake.scene_referral"
    PERSON_VIEW = "person.view"
    PERSON_EDIT = "person.edit"
    AGGREGATES_VIEW = "reports.aggregates"
    AUDIT_VIEW = "audit.view"
    AGENCY_CONFIGURE = "agency.configure"
    # Import records-system exports (the command, the page, and the API with a token).
    INCIDENT_IMPORT = "incidents.import"
    PARTNERS_VIEW = "partners.view"  # browse and search the partner directory and MOUs
    PARTNERS_MANAGE = "partners.manage"  # edit the directory, import/export it, record MOUs
    # Record court and custody events by CSV feed or API (haven.justice); tokens hold it too.
    JUSTICE_IMPORT = "justice.import"
    # Download a case's filled documents that carry the victim's data out of Haven (the
    # compensation claim packet): an export, so never a volunteer's.
    CASE_DOCUMENTS = "case.documents"
    # Read and write notes privileged to victim services (NoteVisibility.PRIVILEGED).
    NOTE_PRIVILEGED = "case.privileged_notes"
    # The program beyond cases (haven.program): record trainings, events, meetings, reviews.
    PROGRAM_RECORD = "program.record"
    # Keep volunteers' files (training, background check) and record anyone's hours.
    PROGRAM_MANAGE = "program.manage"
    # Set the agency's retention schedules (haven.retention).
    RETENTION_SCHEDULE = "retention.schedule"
    # Place and release legal holds, propose and approve purges (never one's own proposal).
    RETENTION_PURGE = "retention.purge"
    # Read and print certificates of destruction.
    RETENTION_CERTIFICATES = "retention.certificates"


_SPECIALIST = {
    Perm.CASE_VIEW,
    Perm.CASE_CREATE,
    Perm.CASE_WORK,
    Perm.SERVED_STATUS,
    Perm.SCENE_REFERRAL,
    Perm.PERSON_VIEW,
    Perm.PERSON_EDIT,
    Perm.PARTNERS_VIEW,
    Perm.NOTE_PRIVILEGED,
    Perm.CASE_DOCUMENTS,
    Perm.PROGRAM_RECORD,
}

# What a volunteer or intern may do: work the cases they can see (contacts, shareable notes,
# tasks), look people up through a case, browse partners, and log their own hours. Never
# privileged notes, exports, aggregates, assignment or configuration.
_VOLUNTEER = {
    Perm.CASE_VIEW,
    Perm.CASE_WORK,
    Perm.SERVED_STATUS,
    Perm.PERSON_VIEW,
    Perm.PARTNERS_VIEW,
}

# The rights a volunteer's role may never hold, whatever the data above says: checked by
# tests and by role_permissions_check (a role table that gave one of these is refused).
VOLUNTEER_NEVER: frozenset[Perm] = frozenset(
    {
        Perm.NOTE_PRIVILEGED,
        Perm.CASE_DOCUMENTS,
        Perm.CASE_EXPORT,
        Perm.AGGREGATES_VIEW,
        Perm.CASE_VIEW_ALL,
        Perm.CASE_ASSIGN,
        Perm.AGENCY_CONFIGURE,
        Perm.INCIDENT_IMPORT,
        Perm.PARTNERS_MANAGE,
        Perm.JUSTICE_IMPORT,
        Perm.AUDIT_VIEW,
        Perm.PROGRAM_MANAGE,
        Perm.RETENTION_SCHEDULE,
        Perm.RETENTION_PURGE,
        Perm.RETENTION_CERTIFICATES,
    }
)

ROLE_PERMISSIONS: dict[str, frozenset[Perm]] = {
    # CASE_VIEW_ALL for advocates is narrowed by Agency.advocates_see_own_caseload_only.
    Role.ADVOCATE: frozenset(_SPECIALIST | {Perm.CASE_VIEW_ALL}),
    Role.SUPERVISOR: frozenset(
        _SPECIALIST
        | {
            Perm.CASE_VIEW_ALL,
            Perm.CASE_ASSIGN,
            Perm.CASE_EXPORT,
            Perm.AGGREGATES_VIEW,
            Perm.PROGRAM_MANAGE,
            Perm.RETENTION_PURGE,
            Perm.RETENTION_CERTIFICATES,
        }
    ),
    Role.COORDINATOR: frozenset(
        _SPECIALIST
        | {
            Perm.CASE_VIEW_ALL,
            Perm.CASE_ASSIGN,
            Perm.CASE_EXPORT,
            Perm.AGGREGATES_VIEW,
            Perm.AGENCY_CONFIGURE,
            Perm.INCIDENT_IMPORT,
            Perm.PARTNERS_MANAGE,
            Perm.JUSTICE_IMPORT,
            Perm.PROGRAM_MANAGE,
            Perm.RETENTION_SCHEDULE,
            Perm.RETENTION_PURGE,
            Perm.RETENTION_CERTIFICATES,
        }
    ),
    Role.OFFICER: frozenset({Perm.SERVED_STATUS, Perm.SCENE_REFERRAL}),
    Role.ANALYST: frozenset({Perm.AGGREGATES_VIEW}),
    Role.AUDITOR: frozenset({Perm.AUDIT_VIEW, Perm.RETENTION_CERTIFICATES}),
    Role.VOLUNTEER: frozenset(_VOLUNTEER),
}


def role_permissions_check(role: str, perms: frozenset[Perm]) -> None:
    """Refuse a set of rights a role may not hold, saying which and why (a volunteer or
    intern given a privileged-note or export right). Run on ROLE_PERMISSIONS at start-up."""
    if role == Role.VOLUNTEER and (forbidden := perms & VOLUNTEER_NEVER):
        names = ", ".join(sorted(forbidden))
        raise ValueError(
            f"A volunteer or intern may not hold {names}: volunteers never read privileged "
            "notes or export; take these rights out of the volunteer role."
        )


for _role, _perms in ROLE_PERMISSIONS.items():
    role_permissions_check(_role, _perms)

# What an agency's API token (haven.integrations) may do: push exports, nothing else.
INTEGRATION_PERMISSIONS: frozenset[Perm] = frozenset({Perm.INCIDENT_IMPORT, Perm.JUSTICE_IMPORT})

# Roles whose members carry a caseload and can be assigned cases.
CASEWORKER_ROLES = (Role.ADVOCATE, Role.SUPERVISOR, Role.COORDINATOR)
