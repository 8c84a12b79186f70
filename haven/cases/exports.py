"""Case lists leaving Haven as CSV: always with a reason, always audited with what went out."""

import csv
import io

from django.core.exceptions import ValidationError

from haven.agencies.roles import Perm
from haven.audit.models import AuditAction
from haven.audit.services import audit_record
from haven.cases.selectors import CaseFilters, case_list
from haven.core.actor import Actor

COLUMNS = [
    "case_number",
    "received_at",
    "source",
    "status",
    "priority",
    "victim_name",
    "victimization_types",
    "specialist",
    "first_contact_at",
    "closed_at",
    "report_number",
]


def _cell(value: str) -> str:
    """Neutralize spreadsheet formulas (CSV injection): a name like "=HYPERLINK(...)" stays text."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def case_list_csv(*, actor: Actor, filters: CaseFilters, reason: str) -> tuple[str, int]:
    """The filtered case list as CSV text and its row count. Refused without case.export or
    without a reason; the audit event records the reason and the ids of every case exported."""
    actor.require(Perm.CASE_EXPORT)
    reason = reason.strip()
    if len(reason) < 5:
        raise ValidationError({"reason": "Say why these cases leave Haven (for the access log)."})
    cases = list(case_list(actor, filters))
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    for case in cases:
        writer.writerow(
            [
                case.number,
                case.received_at.isoformat(),
                case.source,
                case.status,
                case.priority,
                _cell(case.primary_victim.full_name),
                ";".join(v.code for v in case.victimizations.all()),
                case.assigned_to.display_name if case.assigned_to else "",
                case.first_contact_at.isoformat() if case.first_contact_at else "",
                case.closed_at.isoformat() if case.closed_at else "",
                _cell(case.report_number),
            ]
        )
    audit_record(
        actor=actor,
        action=AuditAction.CASE_EXPORT,
        object_type="cases.case",
        reason=reason,
        details={"filters": filters.as_dict(), "count": len(cases), "ids": [c.pk for c in cases]},
    )
    return buffer.getvalue(), len(cases)
