"""Case lists leaving Haven as CSV: always with a reason, always audited with what went out.

By default the file is de-identified: no victim name, no report number, nothing that names
or locates a victim. The identifying columns are filled only when the exporter names the
recipient and the purpose, and then, victim by victim, only where a release of information in
force covers that recipient, purpose and the identity and case-facts categories (the consent
gate, haven/consent/gate.py); other rows say "withheld: no release". How many were withheld,
and which cases, is audited (one CONSENT_REFUSED event for the export).
"""

import io

from django.core.exceptions import ValidationError

from haven.agencies.roles import Perm
from haven.audit.models import AuditAction
from haven.audit.services import audit_record
from haven.cases.selectors import CaseFilters, case_list
from haven.consent.deidentify import assert_deidentified
from haven.consent.gate import Disclosure, consent_in_force, refusal_details
from haven.consent.models import DataCategory, Purpose
from haven.core.actor import Actor
from haven.lib.spreadsheet import csv_writer

DEIDENTIFIED_COLUMNS = [
    "case_number",
    "received_at",
    "source",
    "status",
    "priority",
    "victimization_types",
    "specialist",
    "first_contact_at",
    "closed_at",
]
assert_deidentified(DEIDENTIFIED_COLUMNS)
IDENTIFYING_COLUMNS = ["victim_name", "report_number"]
COLUMNS = DEIDENTIFIED_COLUMNS + IDENTIFYING_COLUMNS
WITHHELD = "withheld: no release"
# What the identifying columns disclose: the victim's name, and the report number (a fact of
# the case that leads straight to the police report).
EXPORT_CATEGORIES = frozenset({DataCategory.IDENTITY, DataCategory.CASE_FACTS})


# long: refusals, then the export's columns per release, then one audit event: one reviewable flow
def case_list_csv(
    *,
    actor: Actor,
    filters: CaseFilters,
    reason: str,
    recipient_organization=None,
    recipient_name: str = "",
    purpose: str = "",
) -> tuple[str, int]:
    """The filtered case list as CSV text and its row count. Refused without case.export or
    without a reason; the audit event records the reason and the ids of every case exported.

    Without a recipient and purpose the file is de-identified (DEIDENTIFIED_COLUMNS only).
    With both, IDENTIFYING_COLUMNS are added and filled per victim only where a release
    covers the disclosure."""
    actor.require(Perm.CASE_EXPORT)
    reason = reason.strip()
    recipient_name = " ".join((recipient_name or "").split())
    errors = {}
    if len(reason) < 5:
        errors["reason"] = "Say why these cases leave Haven (for the access log)."
    named = recipient_organization is not None or bool(recipient_name)
    if recipient_organization is not None and recipient_organization.agency_id != actor.agency.pk:
        errors["recipient_organization"] = "Choose a partner from your agency's directory."
    if recipient_organization is not None and recipient_name:
        errors["recipient_name"] = "Name one recipient: a partner or a named recipient, not both."
    if named and purpose not in Purpose.values:
        errors["purpose"] = "Choose the purpose the victims agreed to, or export de-identified."
    if purpose and not named:
        errors["recipient_name"] = "Name the recipient, or leave the purpose empty."
    if errors:
        raise ValidationError(errors)
    identified = named and bool(purpose)
    cases = list(case_list(actor, filters))
    buffer = io.StringIO()
    writer = csv_writer(buffer)  # every cell neutralized (CSV injection)
    writer.writerow(COLUMNS if identified else DEIDENTIFIED_COLUMNS)
    withheld: list[int] = []
    shared: list[int] = []
    sample: Disclosure | None = None
    for case in cases:
        row = [
            case.number,
            case.received_at.isoformat(),
            case.source,
            case.status,
            case.priority,
            ";".join(v.code for v in case.victimizations.all()),
            case.assigned_to.display_name if case.assigned_to else "",
            case.first_contact_at.isoformat() if case.first_contact_at else "",
            case.closed_at.isoformat() if case.closed_at else "",
        ]
        if identified:
            disclosure = Disclosure(
                person=case.primary_victim,
                recipient_organization=recipient_organization,
                recipient_name=recipient_name,
                purpose=purpose,
                categories=EXPORT_CATEGORIES,
                channel="export",
                case=case,
            )
            if consent_in_force(actor=actor, disclosure=disclosure) is not None:
                row += [case.primary_victim.full_name, case.report_number]
                shared.append(case.pk)
            else:
                row += [WITHHELD, WITHHELD]
                withheld.append(case.pk)
                sample = sample or disclosure
        writer.writerow(row)
    recipient = (
        recipient_organization.name if recipient_organization is not None else recipient_name
    )
    audit_record(
        actor=actor,
        action=AuditAction.CASE_EXPORT,
        object_type="cases.case",
        reason=reason,
        details={
            "filters": filters.as_dict(),
            "count": len(cases),
            "ids": [c.pk for c in cases],
            "identified": identified,
            "recipient": recipient if identified else "",
            "purpose": purpose if identified else "",
            "identified_ids": shared,
            "withheld": len(withheld),
        },
    )
    if withheld:
        why = f"{len(withheld)} of {len(cases)} victims have no release covering {recipient} for "
        why += f"{purpose.replace('_', ' ')} (identity, case facts): names withheld."
        details = refusal_details(sample, why) | {"case_id": None, "withheld_case_ids": withheld}
        audit_record(
            actor=actor,
            action=AuditAction.CONSENT_REFUSED,
            object_type="cases.case",
            reason=why,
            details=details,
        )
    return buffer.getvalue(), len(cases)
