"""Changes to a unit's public help page: its own words per language and which services it
lists (coordinators: agency.configure). Each change is audited as a settings change."""

from django.core.exceptions import ValidationError
from django.db import transaction

from haven.agencies.roles import Perm
from haven.audit.models import AuditAction
from haven.audit.services import audit_record
from haven.core.actor import Actor
from haven.core.versions import check_version, save_versioned
from haven.public.models import HelpPageSettings, HelpPageText
from haven.public.texts import CODES
from haven.public.texts.steps import SERVICES

MAX_TEXT = 4000


def help_text_save(
    *, actor: Actor, language: str, about: str, reach: str, version: int | None = None
) -> HelpPageText:
    """Write the unit's own words in one language. Blank sections show the English with a
    note. Refused without agency.configure, for a language the page does not have, for text
    over MAX_TEXT characters, and when the text was saved since `version` (StaleEdit, nothing
    written; a language never written is at version 1)."""
    actor.require(Perm.AGENCY_CONFIGURE)
    if language not in CODES:
        raise ValidationError(f"The help page has no language {language!r}.")
    values = {"about": (about or "").strip(), "reach": (reach or "").strip()}
    errors = {
        name: f"Keep this to {MAX_TEXT} characters (it has {len(value)})."
        for name, value in values.items()
        if len(value) > MAX_TEXT
    }
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        row = HelpPageText.objects.select_for_update().filter(
            agency=actor.agency, language=language
        ).first() or HelpPageText(agency=actor.agency, language=language)
        check_version(row, version)
        created = row._state.adding
        changed = [name for name, value in values.items() if getattr(row, name) != value]
        if created or changed:
            for name in changed:
                setattr(row, name, values[name])
            # a first save inserts the row at version 2: a second writer who also found no
            # text (version 1) is refused
            save_versioned(row, version=version, fields=[*changed, "updated_at"])
            audit_record(
                actor=actor,
                action=AuditAction.AGENCY_SETTINGS,
                obj=row,
                details={"help_page": language, "fields": sorted(changed or values)},
            )
    return row


def help_services_save(*, actor: Actor, services: list[str]) -> HelpPageSettings:
    """Choose which services the page lists (texts.steps.SERVICES, shown in that order).
    Refused without agency.configure and for a service the page does not know."""
    actor.require(Perm.AGENCY_CONFIGURE)
    unknown = sorted(set(services) - set(SERVICES))
    if unknown:
        raise ValidationError({"services": f"Unknown services: {', '.join(unknown)}."})
    chosen = [key for key in SERVICES if key in services]
    with transaction.atomic():
        row, created = HelpPageSettings.objects.select_for_update().get_or_create(
            agency=actor.agency, defaults={"services": chosen}
        )
        if not created and row.services == chosen:
            return row
        row.services = chosen
        row.save(update_fields=["services", "updated_at"])
        audit_record(
            actor=actor,
            action=AuditAction.AGENCY_SETTINGS,
            obj=row,
            details={"help_page": "services", "services": chosen},
        )
    return row
