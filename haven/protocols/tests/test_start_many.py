"""Starting protocols on many cases at once writes what starting them one by one writes."""

from json import dumps

import pytest
from django.db import connection, transaction
from django.db.models import Max
from django.test.utils import CaptureQueriesContext

from haven.audit.models import AuditAction, AuditEvent
from haven.audit.selectors import verify_chain
from haven.cases.models import Case, CaseEvent, CaseEventKind
from haven.cases.testing import make_case
from haven.cases.tests.test_cases_open_many import one_by_one, open_many, openings
from haven.core.actor import Actor
from haven.core.scoping import agency_scope
from haven.people.services import person_create
from haven.protocols.batch import start_for_victimizations_many, start_many
from haven.protocols.models import CaseProtocol, CaseStep, StartedBy
from haven.protocols.services import (
    protocol_templates_start,
    start,
    start_for_victimizations,
)

pytestmark = pytest.mark.django_db


class Undo(Exception):
    """Raised to roll a path back once its rows are read."""


def written(cases, since: tuple[int, int]) -> dict:
    """The checklists and steps the cases have, and the timeline lines and audit events they got
    after `since` (the last timeline line's id, the chain's last seq). Ids are replaced by case
    numbers and (case number, template key), times counted from each checklist's start, so the
    two paths can be compared."""
    number = {c.pk: c.number for c in Case.objects.filter(pk__in=[c.pk for c in cases])}
    protocols = CaseProtocol.objects.filter(case__in=number).select_related("template")
    name = {p.pk: (number[p.case_id], p.template.key) for p in protocols}
    started = {p.pk: p.started_at for p in protocols}
    steps = CaseStep.objects.filter(case__in=number)
    audit = AuditEvent.objects.filter(
        object_type="protocols.caseprotocol", object_id__in=map(str, name), seq__gt=since[1]
    ).order_by("seq")
    return {
        "protocols": sorted(
            (*name[p.pk], p.name, p.started_by_id, p.source, p.completed_at) for p in protocols
        ),
        "steps": sorted(
            (
                *name[s.protocol_id],
                number[s.case_id],
                s.position,
                s.key,
                s.title,
                s.role,
                s.after,
                s.due_hours,
                s.services,
                s.notes,
                s.status,
                s.due_at and s.due_at - started[s.protocol_id],
            )
            for s in steps
        ),
        "timeline": [
            (number[e.case_id], e.kind, e.actor_id, e.data)
            for e in CaseEvent.objects.filter(
                case__in=number, kind=CaseEventKind.PROTOCOL, pk__gt=since[0]
            ).order_by("case__number", "at", "id")
        ],
        # In the chain's order.
        "audit": [
            (e.action, name[int(e.object_id)], e.actor_label, e.role, e.reason)
            + (number[e.details.pop("case")], dumps(e.details, sort_keys=True))
            for e in audit
        ],
    }


def taken(path, *args, agency) -> dict:
    """What `path(*args)` writes, then rolled back. `path` returns the cases it wrote for."""
    try:
        with transaction.atomic():
            chain = AuditEvent.objects.filter(chain=str(agency.pk))
            since = (last(CaseEvent.objects, "pk"), last(chain, "seq"))
            rows = written(path(*args), since)
            checked, broken = verify_chain(str(agency.pk))
            assert broken is None and checked
            raise Undo
    except Undo:
        pass
    return rows


def last(rows, field: str) -> int:
    return rows.aggregate(last=Max(field))["last"] or 0


@pytest.fixture
def cases(cast, shipped, sam):
    """Agency A's cases of several types: one protocol, two, none, and one already running."""
    kinds = [
        ["homicide_survivor"],
        ["domestic_violence", "trafficking_sex"],
        ["stalking"],
        ["elder_abuse", "domestic_violence"],
        ["adult_sexual_assault"],
    ]
    with agency_scope(cast.agency_a):
        made = [
            make_case(sam, first_name="Gale", last_name=str(i), victimizations=codes)
            for i, codes in enumerate(kinds)
        ]
        # The cases were opened with the protocols: start over without them but one.
        CaseProtocol.objects.filter(case__in=made).exclude(
            case=made[3], template=shipped["elder-abuse"]
        ).delete()
    return made


def each_alone(actor, cases):
    for case in cases:
        start_for_victimizations(actor, case)
    return cases


def all_at_once(actor, cases):
    start_for_victimizations_many(actor, cases)
    return cases


def test_the_victimization_types_start_the_same_protocols_as_case_by_case(cast, cases, sam):
    single = taken(each_alone, sam, cases, agency=cast.agency_a)
    many = taken(all_at_once, sam, cases, agency=cast.agency_a)

    assert many == single
    started = [protocol for protocol, *_ in single["audit"]]
    assert started == [AuditAction.PROTOCOL_START] * 5  # 1 + 2 + 0 + 1 (the other runs) + 1
    assert len(single["timeline"]) == 5
    # Homicide; domestic violence and trafficking; elder abuse (running) and domestic violence.
    assert len(single["steps"]) == 8 + (5 + 4) + (4 + 5) + 5


def test_a_system_actor_starts_them_as_the_outreach_rules_do(cast, cases):
    system = Actor.system(cast.agency_a, "outreach rules (test)")

    assert taken(all_at_once, system, cases, agency=cast.agency_a) == taken(
        each_alone, system, cases, agency=cast.agency_a
    )


def test_it_starts_nothing_where_start_starts_nothing(cast, cases, shipped, sam):
    homicide, elder = shipped["homicide-survivors"], shipped["elder-abuse"]
    switched_off = shipped["child-victims"]
    switched_off.is_active = False
    switched_off.save(update_fields=["is_active"])
    elsewhere = protocol_templates_start(actor=Actor.system(cast.agency_b, "pytest"))[0]
    starts = [
        (cases[0], homicide, StartedBy.HAND),
        (cases[0], homicide, StartedBy.RULE),  # the same twice: the first wins
        (cases[3], elder, StartedBy.RULE),  # already running
        (cases[1], switched_off, StartedBy.HAND),
        (cases[2], elsewhere, StartedBy.HAND),  # another agency's
        (cases[2], elder, StartedBy.RULE),
    ]
    started = []

    def alone(actor, starts):
        started.append([start(actor, *each) is not None for each in starts])
        return cases

    def together(actor, starts):
        started.append([protocol is not None for protocol in start_many(actor, starts)])
        return cases

    single = taken(alone, sam, starts, agency=cast.agency_a)
    many = taken(together, sam, starts, agency=cast.agency_a)

    assert many == single
    assert started == [[True, False, False, False, False, True]] * 2


def test_opening_cases_in_bulk_starts_the_protocols_opening_them_one_by_one_starts(
    cast, shipped, sam
):
    victims = [person_create(actor=sam, first_name="Gale", last_name=n) for n in "ABC"]
    batch = openings(cast, victims)

    single = taken(one_by_one, sam, batch, agency=cast.agency_a)
    many = taken(open_many, sam, batch, agency=cast.agency_a)

    assert many == single
    assert len(single["protocols"]) == 1  # the first opening's domestic violence


def test_the_batch_costs_the_same_queries_for_four_cases_as_for_one(cast, cases, sam):
    with CaptureQueriesContext(connection) as one:
        start_for_victimizations_many(sam, cases[:1])
    with CaptureQueriesContext(connection) as four:
        protocols = start_for_victimizations_many(sam, cases[1:])

    assert len(four) == len(one) <= 16  # 12 and the savepoints
    assert len(protocols) == 4
