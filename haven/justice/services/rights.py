"""Who is owed the rights, under which rule sets: the agency's choice of jurisdictions, the
victims a case serves, and the rights a victim asked to be told of."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from haven.agencies.roles import Perm
from haven.audit.models import AuditAction
from haven.audit.services import audit_record
from haven.cases.models import Case, CasePerson
from haven.core.actor import Actor
from haven.core.versions import check_version, save_versioned
from haven.justice import events
from haven.justice.models import CourtCase, CourtLevel, Jurisdiction, JusticeSettings, RightsRequest
from haven.justice.services.permissions import _require_case_write
from haven.people.models import Person


def settings_of(agency) -> JusticeSettings:
    found = JusticeSettings.objects.filter(agency=agency).first()
    return found or JusticeSettings(agency=agency)


def jurisdictions_for(court_case: CourtCase) -> list[str]:
    """Illinois rules for state court cases, the CVRA for federal ones, each if the agency
    has it on."""
    chosen = settings_of(court_case.agency)
    if court_case.level == CourtLevel.FEDERAL:
        return [Jurisdiction.FEDERAL] if chosen.federal_cvra else []
    return [Jurisdiction.ILLINOIS] if chosen.illinois else []


def victims_of(case: Case) -> list[Person]:
    """Everyone owed the rights: the primary victim and each person the case serves (for a
    homicide, the family the unit serves)."""
    served = (
        CasePerson.objects.filter(case=case, is_served=True).select_related("person").order_by("pk")
    )
    return [case.primary_victim, *(link.person for link in served)]


def _requested(case: Case) -> set[int]:
    return set(
        RightsRequest.objects.filter(case=case, withdrawn_at__isnull=True).values_list(
            "person_id", flat=True
        )
    )


def justice_settings_save(
    *, actor: Actor, illinois: bool, federal_cvra: bool, version: int | None = None
) -> JusticeSettings:
    """Choose the rule sets. Refused without agency.configure, and when the settings were
    saved since `version` (StaleEdit, nothing written). Applies to events recorded from now
    on; obligations already opened stay as they are."""
    actor.require(Perm.AGENCY_CONFIGURE)
    with transaction.atomic():
        found, _ = JusticeSettings.objects.get_or_create(agency=actor.agency)
        check_version(found, version)
        before = {"illinois": found.illinois, "federal_cvra": found.federal_cvra}
        found.illinois, found.federal_cvra = illinois, federal_cvra
        found.full_clean()
        save_versioned(found, version=version, fields=["illinois", "federal_cvra", "updated_at"])
        audit_record(
            actor=actor,
            action=AuditAction.JUSTICE_SETTINGS,
            obj=found,
            details={
                "before": before,
                "after": {"illinois": illinois, "federal_cvra": federal_cvra},
            },
        )
    return found


def rights_request_record(*, actor: Actor, case: Case, person: Person) -> RightsRequest:
    """Record that a victim on the case asked for the rights given only on request. Refused
    for someone the case does not serve."""
    _require_case_write(actor, case)
    if person.pk not in {p.pk for p in victims_of(case)}:
        raise ValidationError(
            {"person": gettext("Only a victim the case serves can ask for notices.")}
        )
    with transaction.atomic():
        found, created = RightsRequest.objects.get_or_create(
            agency=case.agency,
            case=case,
            person=person,
            defaults={"recorded_by": actor.membership},
        )
        if not created and found.withdrawn_at is not None:
            found.withdrawn_at = None
            found.requested_at = timezone.now()
            found.save(update_fields=["withdrawn_at", "requested_at"])
        events.justice_line(actor, case, f"{person.full_name} asked to be told on request")
        audit_record(
            actor=actor,
            action=AuditAction.OBLIGATION_CREATE,
            obj=found,
            details={"case": case.pk, "person": person.pk, "request": True},
        )
    return found
