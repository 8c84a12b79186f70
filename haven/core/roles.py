"""Roles and what each may do: permissions are data, checked in services and selectors."""

from enum import StrEnum

from django.db import models


class Role(models.TextChoices):
    # Civilian victim specialist: works cases, logs contacts, notes, tasks.
    ADVOCATE = "advocate", "Advocate"
    # Assigns and balances caseloads, sees every case of the agency.
    SUPERVISOR = "supervisor", "Supervisor"
    # Configures the agency (districts, users, rules) and can work cases.
    COORDINATOR = "coordinator", "Coordinator"
    # Sworn officer or detective: refers victims from the scene and sees that a victim is being
    # served and by whom, nothing more.
    OFFICER = "officer", "Officer"
    # Analyst or grant manager: aggregate numbers only.
    ANALYST = "analyst", "Analyst"
    # Reads and verifies the access log.
    AUDITOR = "auditor", "Auditor"


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


_SPECIALIST = {
    Perm.CASE_VIEW,
    Perm.CASE_CREATE,
    Perm.CASE_WORK,
    Perm.SERVED_STATUS,
    Perm.SCENE_REFERRAL,
    Perm.PERSON_VIEW,
    Perm.PERSON_EDIT,
    Perm.PARTNERS_VIEW,
}

ROLE_PERMISSIONS: dict[str, frozenset[Perm]] = {
    # CASE_VIEW_ALL for advocates is narrowed by Agency.advocates_see_own_caseload_only.
    Role.ADVOCATE: frozenset(_SPECIALIST | {Perm.CASE_VIEW_ALL}),
    Role.SUPERVISOR: frozenset(
        _SPECIALIST | {Perm.CASE_VIEW_ALL, Perm.CASE_ASSIGN, Perm.CASE_EXPORT, Perm.AGGREGATES_VIEW}
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
        }
    ),
    Role.OFFICER: frozenset({Perm.SERVED_STATUS, Perm.SCENE_REFERRAL}),
    Role.ANALYST: frozenset({Perm.AGGREGATES_VIEW}),
    Role.AUDITOR: frozenset({Perm.AUDIT_VIEW}),
}

# What an agency's API token (haven.integrations) may do: push exports, nothing else.
INTEGRATION_PERMISSIONS: frozenset[Perm] = frozenset({Perm.INCIDENT_IMPORT, Perm.JUSTICE_IMPORT})

# Roles whose members carry a caseload and can be assigned cases.
CASEWORKER_ROLES = (Role.ADVOCATE, Role.SUPERVISOR, Role.COORDINATOR)
