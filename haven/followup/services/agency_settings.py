"""The agency's follow-up settings: whether check-ins skip the days it is closed, and the time
of day they are due."""

from __future__ import annotations

from datetime import time

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from haven.agencies.models import Agency, ServiceHours
from haven.agencies.roles import Perm
from haven.audit.models import AuditAction
from haven.audit.services import audit_record
from haven.core.actor import Actor
from haven.core.versions import check_version, save_versioned
from haven.followup import schedule
from haven.followup.models import FollowUpSettings


def followup_settings(agency: Agency) -> FollowUpSettings:
    """The agency's follow-up settings; the defaults (unsaved) until a coordinator saves them."""
    return FollowUpSettings.objects.filter(agency=agency).first() or FollowUpSettings(agency=agency)


def open_weekdays(agency: Agency) -> frozenset[int] | None:
    """The weekdays check-ins may fall on: None when the agency does not move them; else the
    weekdays with service hours, Monday to Friday when it has entered none."""
    if not followup_settings(agency).skip_closed_days:
        return None
    days = frozenset(ServiceHours.objects.filter(agency=agency).values_list("weekday", flat=True))
    return days or schedule.WEEKDAYS


def followup_settings_save(
    *, actor: Actor, skip_closed_days: bool, default_time: time, version: int | None = None
) -> FollowUpSettings:
    """Change the agency's follow-up settings. Refused without agency.configure, and when they
    were saved since `version` (StaleEdit, nothing written)."""
    actor.require(Perm.AGENCY_CONFIGURE)
    if default_time is None:
        raise ValidationError({"default_time": gettext("Give the time of day check-ins are due.")})
    with transaction.atomic():
        current = followup_settings(actor.agency)
        check_version(current, version)
        before = (current.skip_closed_days, current.default_time)
        current.skip_closed_days = skip_closed_days
        current.default_time = default_time.replace(second=0, microsecond=0)
        current.updated_by = actor.membership
        current.updated_at = timezone.now()
        save_versioned(
            current,
            version=version,
            fields=["skip_closed_days", "default_time", "updated_by", "updated_at"],
        )
        audit_record(
            actor=actor,
            action=AuditAction.FOLLOWUP_SETTINGS,
            obj=current,
            details={
                "skip_closed_days": skip_closed_days,
                "default_time": current.default_time.strftime("%H:%M"),
                "changed": before != (current.skip_closed_days, current.default_time),
            },
        )
    return current
