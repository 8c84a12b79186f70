"""What the installation's operator does: create an agency with its starter settings and its
first coordinator's invitation, suspend one, reactivate it.

The operator (a user with is_staff and no membership, haven.accounts) never works or reads
cases; a management command acts as the operator too (`operator=None`: whoever has a shell on
the server). Each act is audited in the agency's own chain, named after who did it.
"""

from __future__ import annotations

from datetime import time

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext

from haven.accounts.models import Invitation
from haven.accounts.selectors import is_operator
from haven.accounts.services import invitation_create
from haven.agencies.models import Agency, ServiceHours
from haven.agencies.roles import Role
from haven.audit.models import AuditAction
from haven.audit.services import audit_record
from haven.core.actor import Actor
from haven.core.scoping import agency_scope
from haven.outreach.services import outreach_rules_start
from haven.reports.selectors import Goals
from haven.reports.services import report_goals_save

# A new unit starts open Monday to Friday, 8:00 to 17:00 in its own time zone; its
# coordinator changes this on the on-call and follow-up pages' service hours.
STARTER_HOURS = [(day, time(8, 0), time(17, 0)) for day in range(5)]


def _label(operator: AbstractBaseUser | None, command: str) -> str:
    if operator is None:
        return command
    if not is_operator(operator):
        raise PermissionDenied("Only the installation's operators manage agencies.")
    return f"operator {operator.get_username()}"


def agency_create(
    *,
    operator: AbstractBaseUser | None,
    slug: str,
    name: str,
    time_zone: str,
    coordinator_email: str,
    base_url: str = "",
    ip: str | None = None,
) -> tuple[Agency, Invitation, str]:
    """Create an agency with starter settings (service hours, the starter outreach rules,
    report goals) and invite its first coordinator; returns the agency, the invitation and
    its one-time link (also mailed after commit). Refused: a slug taken or not a slug, an
    empty name, an unknown time zone, a bad address; nothing is created then."""
    label = _label(operator, "manage.py agency_create")
    slug, name = (slug or "").strip(), " ".join((name or "").split())
    errors = {}
    if not slug or slugify(slug) != slug:
        errors["slug"] = "Give a short name in lower case, digits and hyphens, e.g. riverside-pd."
    elif Agency.objects.filter(slug=slug).exists():
        errors["slug"] = f"There is already an agency {slug}."
    if not name:
        errors["name"] = "Give the unit's name."
    agency = Agency(slug=slug, name=name, time_zone=(time_zone or "").strip())
    try:
        agency.full_clean(exclude=["slug", "name", "on_call"])
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        agency.save()
        with agency_scope(agency):
            system = Actor.system(agency, label)
            audit_record(
                actor=None,
                action=AuditAction.AGENCY_CREATE,
                obj=agency,
                agency_id=agency.pk,
                actor_label=label,
                ip=ip,
                details={"slug": slug, "time_zone": agency.time_zone},
            )
            ServiceHours.objects.bulk_create(
                ServiceHours(agency=agency, weekday=day, opens=opens, closes=closes)
                for day, opens, closes in STARTER_HOURS
            )
            outreach_rules_start(actor=system)
            goals = Goals(first_contact_hours=agency.first_contact_goal_hours)
            report_goals_save(
                actor=system,
                first_contact_hours=goals.first_contact_hours,
                resolution_days=goals.resolution_days,
                satisfaction_percent=goals.satisfaction_percent,
                midcase_survey_days=goals.midcase_survey_days,
            )
            invitation, link = invitation_create(
                actor=system, email=coordinator_email, role=Role.COORDINATOR, base_url=base_url
            )
    return agency, invitation, link


def _set_active(*, operator, agency: Agency, active: bool, reason: str, ip, command: str) -> Agency:
    label = _label(operator, command)
    reason = " ".join((reason or "").split())
    if not active and not reason:
        raise ValidationError(
            {"reason": gettext("Say why the agency is suspended (it is kept in the log).")}
        )
    with transaction.atomic():
        if not Agency.objects.filter(pk=agency.pk, is_active=not active).update(is_active=active):
            raise ValidationError(
                "This agency is already active." if active else "This agency is already suspended."
            )
        agency.is_active = active
        audit_record(
            actor=None,
            action=AuditAction.AGENCY_REACTIVATE if active else AuditAction.AGENCY_SUSPEND,
            obj=agency,
            agency_id=agency.pk,
            actor_label=label,
            ip=ip,
            reason=reason,
        )
    return agency


def agency_suspend(*, operator, agency: Agency, reason: str, ip: str | None = None) -> Agency:
    """Suspend an agency: from the next request on, its members' sessions end and sign-ins,
    API tokens and partner links are refused. Nothing is deleted. A reason is required."""
    return _set_active(
        operator=operator, agency=agency, active=False, reason=reason, ip=ip, command="manage.py"
    )


def agency_reactivate(*, operator, agency: Agency, ip: str | None = None) -> Agency:
    """Lift a suspension: everything works again as it was."""
    return _set_active(
        operator=operator, agency=agency, active=True, reason="", ip=ip, command="manage.py"
    )
