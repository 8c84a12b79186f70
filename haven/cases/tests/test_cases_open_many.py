"""Opening many cases at once writes what opening them one by one writes."""

from datetime import timedelta
from json import dumps

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from haven.audit.models import AuditEvent
from haven.audit.selectors import verify_chain
from haven.cases.batch import CaseOpening, FirstTask, cases_open_many
from haven.cases.models import Assignment, Case, CaseEvent, CaseSource, CaseVictimization, Task
from haven.cases.services import case_open, task_add
from haven.core.actor import Actor
from haven.people.models import Person
from haven.people.services import person_create

pytestmark = pytest.mark.django_db


class Undo(Exception):
    """Raised to roll a path back once its rows are read."""


def openings(cast, victims):
    received = timezone.now() - timedelta(hours=3)
    due = timezone.now() + timedelta(hours=24)
    return [
        CaseOpening(
            victim=victims[0],
            source=CaseSource.RECORDS_OUTREACH,
            received_at=received,
            victimizations=["domestic_violence", "stalking"],
            report_number=" JA100001 ",
            district=cast.district_a,
            narrative="Opened by a rule.",
            assignee=cast.advocate,
            tasks=(FirstTask("Reach a parent or guardian first", due), FirstTask("Call", due)),
        ),
        CaseOpening(
            victim=victims[1],
            source=CaseSource.HOTLINE,
            received_at=received - timedelta(days=400),  # another year's number
            victimizations=["stalking"],
            priority="high",
        ),
        CaseOpening(
            victim=victims[2],
            source=CaseSource.RECORDS_OUTREACH,
            received_at=received,
            victimizations=["adult_physical_assault"],
            assignee=cast.advocate2,
            tasks=(FirstTask("Call", due),),
        ),
    ]


def one_by_one(actor, batch):
    cases = []
    for o in batch:
        case = case_open(
            actor=actor,
            victim=o.victim,
            source=o.source,
            received_at=o.received_at,
            victimizations=list(o.victimizations),
            report_number=o.report_number,
            district=o.district,
            narrative=o.narrative,
            priority=o.priority,
            assignee=o.assignee,
        )
        for task in o.tasks:
            task_add(actor=actor, case=case, title=task.title, due_at=task.due_at)
        cases.append(case)
    return cases


def open_many(actor, batch):
    return cases_open_many(actor=actor, openings=batch)


def written(cases):
    """The rows and audit events the cases got, with their own ids replaced by the case number
    (the two paths' ids differ), so the paths can be compared."""
    number = {c.pk: c.number for c in Case.objects.filter(pk__in=[c.pk for c in cases])}
    tasks = {t.pk: (number[t.case_id], t.title) for t in Task.objects.filter(case__in=number)}
    fields = ("primary_victim_id", "source", "received_at", "report_number", "district_id")
    more = ("narrative", "priority", "assigned_to_id", "created_by_id", "status")
    rows = {
        "cases": sorted(
            (c.number, *(getattr(c, f) for f in fields + more))
            for c in Case.objects.filter(pk__in=number)
        ),
        "victimizations": sorted(
            (number[v.case_id], v.code) for v in CaseVictimization.objects.filter(case__in=number)
        ),
        "assignments": sorted(
            (number[a.case_id], a.assignee_id, a.assigned_by_id, a.reason, a.ended_at)
            for a in Assignment.objects.filter(case__in=number)
        ),
        "tasks": sorted(
            (*tasks[t.pk], t.due_at, t.assignee_id, t.created_by_id)
            for t in Task.objects.filter(case__in=number)
        ),
        # Per case, in timeline order.
        "timeline": [
            (number[e.case_id], e.kind, e.actor_id, e.data, tasks.get(e.task_id))
            for e in CaseEvent.objects.filter(case__in=number).order_by("case__number", "at", "id")
        ],
    }
    events = AuditEvent.objects.filter(object_type="cases.case", object_id__in=map(str, number))
    task_events = AuditEvent.objects.filter(object_type="cases.task", object_id__in=map(str, tasks))
    rows["audit"] = sorted(
        (e.action, number[int(e.object_id)], e.actor_label, e.role, e.reason, json(e.details))
        for e in events
    ) + sorted(
        (e.action, tasks[int(e.object_id)], e.actor_label, number[e.details.pop("case")])
        + (json(e.details),)
        for e in task_events
    )
    return rows


def json(details: dict) -> str:
    return dumps(details, sort_keys=True)


def taken(actor, path, batch, cast):
    """What `path` writes for the openings, then rolled back."""
    try:
        with transaction.atomic():
            cases = path(actor, batch)
            rows = written(cases)
            checked, broken = verify_chain(str(cast.agency_a.pk))
            assert broken is None and checked
            raise Undo
    except Undo:
        pass
    return rows


def test_it_writes_the_same_rows_and_audit_events_as_opening_them_one_by_one(cast, sam):
    victims = [person_create(actor=sam, first_name="Gale", last_name=n) for n in "ABC"]

    batch = openings(cast, victims)

    single = taken(sam, one_by_one, batch, cast)
    many = taken(sam, open_many, batch, cast)

    assert many == single
    assert len(single["cases"]) == 3 and len(single["tasks"]) == 3
    assert len(single["timeline"]) == 3 + 2 + 3  # opened, assigned twice, tasks
    assert len(single["audit"]) == 3 + 3


def test_a_system_actor_opens_them_as_the_outreach_rules_do(cast):
    system = Actor.system(cast.agency_a, "outreach rules (test)")
    victims = [person_create(actor=system, first_name="Gale", last_name=n) for n in "ABC"]

    batch = openings(cast, victims)

    single = taken(system, one_by_one, batch, cast)
    many = taken(system, open_many, batch, cast)

    assert many == single


def test_case_numbers_follow_on_from_the_agency_counter(cast, sam):
    victims = [person_create(actor=sam, first_name="Gale", last_name=n) for n in "ABC"]
    before = Case.objects.filter(agency=cast.agency_a).count()

    cases = cases_open_many(actor=sam, openings=openings(cast, victims))
    later = case_open(
        actor=sam,
        victim=victims[0],
        source=CaseSource.HOTLINE,
        received_at=timezone.now(),
        victimizations=["stalking"],
    )

    serials = [int(c.number.split("-")[1]) for c in [*cases, later]]
    assert serials == list(range(serials[0], serials[0] + 4))
    assert Case.objects.filter(agency=cast.agency_a).count() == before + 4


def test_one_bad_opening_refuses_the_lot_and_writes_nothing(cast, sam, row_counts):
    victims = [person_create(actor=sam, first_name="Gale", last_name=n) for n in "ABC"]
    batch = openings(cast, victims)
    batch[2] = CaseOpening(
        victim=victims[2],
        source=CaseSource.HOTLINE,
        received_at=timezone.now() + timedelta(days=1),
        victimizations=["no such type"],
    )
    before = row_counts()

    with pytest.raises(ValidationError) as refused:
        cases_open_many(actor=sam, openings=batch)

    assert set(refused.value.message_dict) == {"received_at", "victimizations"}
    assert row_counts() == before


def test_it_is_refused_to_someone_who_may_not_assign(cast, alice, row_counts):
    victims = [person_create(actor=alice, first_name="Gale", last_name=n) for n in "ABC"]
    before = row_counts()

    with pytest.raises(PermissionDenied):
        cases_open_many(actor=alice, openings=openings(cast, victims)[2:])

    assert row_counts() == before
    assert Person.objects.filter(pk__in=[v.pk for v in victims]).count() == 3
