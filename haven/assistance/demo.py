"""Demo services (OVC PMT) at scale: the services given at each completed contact of the demo's
year of casework, made for bulk insert with the cases (haven/demo/builder.py)."""

from __future__ import annotations

from haven.assistance.models import ServiceProvided
from haven.cases.demo import CaseDraft
from haven.cases.models import ContactOutcome
from haven.core.demo import DemoContext, Rows
from haven.lib.bulkrows import PARENTS, Weighted, new_row

# The PMT sub-services a police-based unit records most (haven/reference/pmt.json codes).
SERVICE_MIX = Weighted(
    [
        ("A1", 20),
        ("A2", 18),
        ("A3", 6),
        ("A4", 8),
        ("B3", 3),
        ("B4", 4),
        ("B9", 1),
        ("B10", 1),
        ("C1", 12),
        ("C2", 3),
        ("C3", 2),
        ("C7", 2),
        ("D1", 1),
        ("D3", 1),
        ("E1", 10),
        ("E2", 2),
        ("E3", 1),
        ("E4", 4),
        ("E10", 3),
        ("E6", 1),
    ]
)


def services_rows(ctx: DemoContext, rows: Rows, draft: CaseDraft) -> None:
    """The PMT services given at each completed contact: one to three per contact, to the
    person spoken with, in the categories a police-based unit gives most."""
    rng = ctx.rng
    for contact in draft.contacts:
        if contact.outcome != ContactOutcome.COMPLETED:
            continue
        # The person spoken with: still unsaved here, so passed as the object (new_row
        # copies its id in once it is inserted); none named means the victim.
        person = dict(contact.__dict__.get(PARENTS, ())).get("person_id") or draft.victim
        for code in SERVICE_MIX.pick_some(rng, rng.choice((1, 1, 1, 1, 2, 2, 3))):
            rows.services.append(
                new_row(
                    ServiceProvided,
                    agency_id=ctx.agency.pk,
                    case=draft.case,
                    person=person,
                    category=code[0],
                    sub_service=code,
                    provided_at=contact.occurred_at,
                    provided_by_id=contact.logged_by_id,
                    created_at=contact.created_at,
                )
            )
