"""The activities of a period as CSV, every cell through haven/lib/spreadsheet.py. Names staff
who led each activity (their work, not a victim's) and counts the cases a review discussed,
never which ones."""

import io

from django.db import transaction

from haven.agencies.roles import Perm
from haven.audit.models import AuditAction
from haven.audit.services import audit_record
from haven.core.actor import Actor
from haven.lib.spreadsheet import csv_writer
from haven.program import selectors

HEADER = [
    "date",
    "kind",
    "topic",
    "place",
    "audience",
    "attendees",
    "hours",
    "staff time spent (hours)",
    "led by",
    "partners present",
    "cases discussed",
    "materials",
    "funding source",
]


def activities_csv(actor: Actor, filters: selectors.ActivityFilters) -> tuple[str, int]:
    """The filtered activities as CSV text, and how many rows (reports.aggregates: never a
    volunteer's). Audited as an export."""
    actor.require(Perm.AGGREGATES_VIEW)
    rows = list(selectors.activities(actor, filters))
    out = io.StringIO()
    writer = csv_writer(out)
    writer.writerow(HEADER)
    for a in rows:
        writer.writerow(
            [
                a.held_on.isoformat(),
                a.get_kind_display(),
                a.topic,
                a.place,
                a.get_audience_display() if a.audience else "",
                "" if a.attendees is None else a.attendees,
                a.hours,
                a.time_spent,
                a.led_by.display_name,
                "; ".join(p.name for p in a.partners.all()),
                a.case_count,
                " | ".join(a.materials.splitlines()),
                a.funding_source.name if a.funding_source else "",
            ]
        )
    with transaction.atomic():
        audit_record(
            actor=actor,
            action=AuditAction.PROGRAM_EXPORT,
            object_type="program.activity",
            details={
                "rows": len(rows),
                "start": filters.start.isoformat() if filters.start else None,
                "end": filters.end.isoformat() if filters.end else None,
                "kind": filters.kind,
            },
        )
    return out.getvalue(), len(rows)
