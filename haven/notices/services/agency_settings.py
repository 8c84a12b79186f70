"""The agency's notice settings: quiet hours, the automatic-update switches, the SMS sender."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext

from haven.agencies.models import Agency
from haven.agencies.roles import Perm
from haven.audit.models import AuditAction
from haven.audit.services import audit_record
from haven.core.actor import Actor
from haven.core.versions import check_version, save_versioned
from haven.notices.models import EDITABLE_SETTINGS, NoticeSettings

# Sources whose automatic updates an agency may switch off, and the setting for each.
UPDATE_SWITCHES = {
    "specialist_assigned": "specialist_assigned",
    "court_date": "court_date",
    "arrest": "arrest",
}


def notice_settings(agency: Agency) -> NoticeSettings:
    """The agency's settings, created with the defaults the first time they are asked for."""
    found = NoticeSettings.objects.filter(agency=agency).first()
    if found is None:
        try:
            with transaction.atomic():
                found = NoticeSettings.objects.create(agency=agency)
        except IntegrityError:
            found = NoticeSettings.objects.get(agency=agency)
    return found


def notice_settings_update(*, actor: Actor, version: int | None = None, **fields) -> NoticeSettings:
    """Change quiet hours, the automatic-update switches or the SMS sender (coordinators).
    Refused (StaleEdit, nothing written) when the settings were saved since `version`."""
    actor.require(Perm.AGENCY_CONFIGURE)
    current = notice_settings(actor.agency)
    check_version(current, version)
    unknown = set(fields) - set(EDITABLE_SETTINGS)
    if unknown:
        raise ValidationError(f"Unknown notice settings: {', '.join(sorted(unknown))}.")
    changed = {}
    for name, value in fields.items():
        if getattr(current, name) != value:
            changed[name] = str(value)
            setattr(current, name, value)
    if not changed:
        return current
    if "first_contact_warn_hours" in changed and not 1 <= current.first_contact_warn_hours <= 720:
        raise ValidationError(
            {"first_contact_warn_hours": gettext("Give a number of hours from 1 to 720.")}
        )
    if "resolution_warn_days" in changed and not current.resolution_warn_days <= 365:
        raise ValidationError(
            {"resolution_warn_days": gettext("Give a number of days from 0 to 365.")}
        )
    with transaction.atomic():
        current.full_clean()
        save_versioned(current, version=version, fields=[*changed, "updated_at"])
        audit_record(actor=actor, action=AuditAction.NOTICE_SETTINGS, obj=current, details=changed)
    return current


def _update_allowed(agency: Agency, source: str) -> bool:
    if not source.startswith("update:"):
        return True
    kind = source.split(":", 2)[1]
    field = UPDATE_SWITCHES.get(kind)
    return field is None or getattr(notice_settings(agency), field)
