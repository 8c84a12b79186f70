"""Demo services (OVC PMT) at scale: the services given at each completed contact of the demo's
year of casework, made for bulk insert with the cases (haven/demo/builder.py)."""

from __future__ import annotations

from haven.assistance.models import ServiceProvided
from haven.cases.demo import CaseDraft
from haven.cases.models import CaseVictimization, ContactOutcome
from haven.core.demo import DemoContext, Rows
from haven.funding.models import FundingKind, FundingSource
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


# Victimization types VAWA STOP money may serve (domestic and dating violence, sexual
# assault, stalking); the demo tags every other such case's services to it.
STOP_TYPES = ("domestic_violence", "adult_sexual_assault", "stalking", "teen_dating")


def services_funding(ctx: DemoContext) -> None:
    """Tag the demo's services to funding sources, as a grant manager would find them: those
    on every other case of a VAWA STOP type to VAWA STOP, the rest to the default (VOCA)."""
    sources = FundingSource.objects.filter(agency=ctx.agency)
    default = sources.filter(is_default=True).first()
    stop = sources.filter(kind=FundingKind.VAWA_STOP).first()
    given = ServiceProvided.objects.filter(agency=ctx.agency, funding_source__isnull=True)
    if stop is not None:
        stop_cases = (
            CaseVictimization.objects.filter(agency=ctx.agency, code__in=STOP_TYPES)
            .values_list("case_id", flat=True)
            .distinct()
        )
        odd = [case_id for case_id in stop_cases if case_id % 2]
        for at in range(0, len(odd), 5000):
            given.filter(case_id__in=odd[at : at + 5000]).update(funding_source=stop)
    if default is not None:
        given.update(funding_source=default)
