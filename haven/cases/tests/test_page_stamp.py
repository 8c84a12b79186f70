"""The case page's stamp (cases/page_stamp.py): the database changes it on every write to a row
the page shows, whoever writes it, and the page reads no table that is neither stamped nor
listed as allowed to lag."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from haven.cases.models import Case, CasePageStamp, CasePerson, Note, Task
from haven.cases.page_stamp import PAGE_READS_UNSTAMPED, stamped_tables
from haven.cases.testing import make_case
from haven.notices.models import Message
from haven.people.models import ContactKind
from haven.people.services import contact_point_add, person_create

pytestmark = pytest.mark.django_db


def stamp(case) -> str:
    return CasePageStamp.objects.get(case_id=case.pk).stamp


def test_a_new_case_has_a_stamp(sam):
    case = make_case(sam, first_name="Al", last_name="Bo")
    assert re.fullmatch(r"[0-9a-f]{16,32}", stamp(case))


WRITES = {
    "insert": lambda case: Note.objects.create(agency=case.agency, case=case, body="x"),
    "bulk update": lambda case: Task.objects.filter(case=case).update(title="Call at 6"),
    "delete": lambda case: Task.objects.filter(case=case).delete(),
    "the case": lambda case: Case.objects.filter(pk=case.pk).update(priority="high"),
}


@pytest.mark.parametrize("write", WRITES.values(), ids=WRITES.keys())
def test_any_write_to_a_row_of_the_case_gives_it_a_new_stamp_and_no_other_case(cast, write):
    case, other = cast.case_a, cast.case_b
    before, other_before = stamp(case), stamp(other)

    write(case)

    assert stamp(case) != before
    assert stamp(other) == other_before


def test_a_change_to_a_person_stamps_every_case_they_are_on(cast, sam):
    case = cast.case_a
    elsewhere = make_case(sam, first_name="Gus", last_name="Hale")
    CasePerson.objects.create(
        agency=case.agency, case=elsewhere, person=case.primary_victim, relation="other"
    )
    unrelated = make_case(sam, first_name="Ivy", last_name="Jo")
    before = {c.pk: stamp(c) for c in (case, elsewhere, unrelated)}

    contact_point_add(
        actor=sam, person=case.primary_victim, kind=ContactKind.PHONE, value="(312) 555-0199"
    )

    assert stamp(case) != before[case.pk]  # the victim's case
    assert stamp(elsewhere) != before[elsewhere.pk]  # a case they are on beside the victim
    assert stamp(unrelated) == before[unrelated.pk]


def test_a_message_stamps_its_case_when_its_status_changes_not_on_the_workers_bookkeeping(cast):
    case = cast.case_a
    message = Message.objects.create(
        agency=case.agency,
        case=case,
        person=case.primary_victim,
        channel="sms",
        template="card_text",
        dedupe_key="test:card",
    )
    after_insert = stamp(case)
    Message.objects.filter(pk=message.pk).update(
        attempts=1, next_attempt_at=timezone.now() + timedelta(minutes=5)
    )
    assert stamp(case) == after_insert
    Message.objects.filter(pk=message.pk).update(status="failed")
    assert stamp(case) != after_insert


def test_a_deleted_case_leaves_no_stamp(sam):
    victim = person_create(actor=sam, first_name="Kim", last_name="Lee")
    case = Case.objects.create(
        agency=sam.agency,
        number="T-1",
        primary_victim=victim,
        source="walk_in",
        received_at=timezone.now(),
    )
    assert CasePageStamp.objects.filter(case_id=case.pk).exists()
    case.delete()
    assert not CasePageStamp.objects.filter(case_id=case.pk).exists()


def test_every_table_the_case_page_reads_is_stamped_or_allowed_to_lag(client_as, cast):
    """A new section that reads a table of its own fails here until its app stamps that table
    in a migration (page_stamp.StampTables), or the table is listed with the reason it may lag."""
    client = client_as("advocate")
    url = reverse("cases:detail", args=[cast.case_a.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        client.get(f"{url}?timeline=all")  # rendered afresh, every section
    read = {t for q in ctx for t in re.findall(r'(?:FROM|JOIN) "(\w+)"', q["sql"])}

    assert read - stamped_tables(connection) - set(PAGE_READS_UNSTAMPED) == set()
    assert "cases_case" in read and "cases_caseevent" in stamped_tables(connection)
