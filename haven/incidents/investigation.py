"""The police investigation status of a report and the detective who has it (issue 15 item 4).

The records system's export says it (a profile's `investigation_status` and `detective` keys:
docs/import-profiles.md); a specialist can also set it by hand on the case. The latest of the
two is what the case shows. A later import changes it only when the export itself changed, so a
specialist's correction stands until the records system says something new.

Each change is a line on the timeline of every case with the report's number, and, for an open
case, a `cases.investigation_status_changed` event: haven.notices decides whether the victim is
told (held for the specialist's review by default for domestic violence, off otherwise).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from haven.agencies.models import Membership
from haven.agencies.roles import Perm
from haven.audit.models import AuditAction
from haven.audit.services import audit_record
from haven.cases.events import investigation_changed
from haven.cases.models import Case, CaseVictimization
from haven.cases.signals import investigation_status_changed
from haven.core.actor import Actor
from haven.incidents.mapper import DETECTIVE_MAX
from haven.incidents.models import Incident, InvestigationStatus

RECORDS_SYSTEM = "the records system"
DV_VICTIMIZATION = "domestic_violence"


def exported_changed(*, actor: Actor, incident: Incident, fields: list[str]) -> None:
    """The import read a new status or detective for this report (already saved in
    exported_status / exported_detective): it becomes the latest. Inside the batch."""
    changes = {}
    if "exported_status" in fields and incident.investigation_status != incident.exported_status:
        changes["investigation_status"] = incident.exported_status
    if "exported_detective" in fields and incident.detective != incident.exported_detective:
        changes["detective"] = incident.exported_detective
    if changes:
        _apply(actor, incident, changes, by=None)


def incident_for_case(case: Case) -> Incident | None:
    if not case.report_number:
        return None
    return Incident.objects.filter(
        agency_id=case.agency_id, report_number=case.report_number
    ).first()


def incident_investigation_set(
    *, actor: Actor, case: Case, investigation_status: str, detective: str
) -> Incident:
    """A specialist sets the status and detective of the case's report by hand; audited, on
    the timeline, and told to the victim as the agency's notice settings say."""
    actor.require(Perm.CASE_WORK)
    actor.require_own(case)
    detective = " ".join((detective or "").split())
    errors = {}
    if investigation_status not in InvestigationStatus.values:
        errors["investigation_status"] = "Choose a status from the list."
    if len(detective) > DETECTIVE_MAX:
        errors["detective"] = f"Keep the detective or unit to {DETECTIVE_MAX} characters."
    if errors:
        raise ValidationError(errors)
    incident = incident_for_case(case)
    if incident is None:
        raise ValidationError(
            "No imported police report has this case's report number"
            f"{f' ({case.report_number})' if case.report_number else ''}: the status is kept on "
            "the report, so add the report number to the case or import the report first."
        )
    changes = {
        name: value
        for name, value in (
            ("investigation_status", investigation_status),
            ("detective", detective),
        )
        if getattr(incident, name) != value
    }
    if not changes:
        return incident
    with transaction.atomic():
        _apply(actor, incident, changes, by=actor.membership)
        audit_record(
            actor=actor,
            action=AuditAction.INCIDENT_INVESTIGATION,
            obj=incident,
            details={"fields": sorted(changes), "case": case.pk},
        )
    return incident


def _apply(actor: Actor, incident: Incident, changes: dict, *, by: Membership | None) -> None:
    was = incident.get_investigation_status_display()
    for name, value in changes.items():
        setattr(incident, name, value)
    incident.investigation_changed_at = timezone.now()
    incident.investigation_changed_by = by
    incident.save(update_fields=[*changes, "investigation_changed_at", "investigation_changed_by"])
    summary = _summary(incident, was, changes, by)
    cases = Case.objects.filter(agency_id=incident.agency_id, report_number=incident.report_number)
    for case in cases:
        investigation_changed(actor, case, summary=summary)
        if "investigation_status" in changes and incident.investigation_status and case.is_open:
            investigation_status_changed.publish(
                sender=Case,
                case_id=case.pk,
                status=incident.investigation_status,
                domestic_violence=incident.domestic_violence or _dv_case(case),
                key=f"{incident.pk}:{incident.investigation_changed_at.isoformat()}",
            )


def _summary(incident: Incident, was: str, changes: dict, by: Membership | None) -> str:
    parts = []
    if "investigation_status" in changes:
        parts.append(f"{incident.get_investigation_status_display()} (was {was.lower()})")
    if "detective" in changes:
        parts.append(f"detective {incident.detective}" if incident.detective else "no detective")
    source = "set by hand" if by is not None else f"from {RECORDS_SYSTEM}"
    return f"Report {incident.report_number}: {'; '.join(parts)}, {source}"


def _dv_case(case: Case) -> bool:
    return CaseVictimization.objects.filter(case=case, code=DV_VICTIMIZATION).exists()
