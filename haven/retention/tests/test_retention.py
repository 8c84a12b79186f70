"""Schedules, due lists, legal holds, two-person approval, the monthly job and the pages."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from haven.audit.models import AuditAction
from haven.cases.models import Case, CaseStatus
from haven.cases.services import case_change_status
from haven.notices.models import StaffAlert
from haven.people.models import Person
from haven.retention.kinds import cutoff
from haven.retention.models import (
    BatchStatus,
    DestructionCertificate,
    ItemStatus,
    PurgeBatch,
    RecordKind,
)
from haven.retention.services import (
    batch_approve,
    batch_propose,
    hold_place,
    hold_release,
    propose_due,
    record_destroy,
    schedule_save,
)
from haven.retention.tasks import retention_propose_monthly

CHICAGO = ZoneInfo("America/Chicago")
CLOSED_ON = datetime(2023, 3, 10, 16, 0, tzinfo=CHICAGO)


@pytest.fixture
def closed(cast, sam, clock):
    """Case A closed on 10 March 2023, under a schedule of three years."""
    clock.move_to(CLOSED_ON)
    case_change_status(
        actor=sam, case=cast.case_a, status=CaseStatus.CLOSED, close_reason="goals_met"
    )
    schedule_save(
        actor=sam_coordinator(cast),
        kind=RecordKind.CLOSED_CASE,
        years=3,
        legal_basis="Riverside records schedule 24-017, item 3 (test)",
    )
    return Case.objects.get(pk=cast.case_a.pk)


def sam_coordinator(cast):
    return cast.actor("coordinator")


def test_the_cutoff_is_the_same_day_years_earlier_and_29_february_falls_to_the_28th():
    assert cutoff(date(2026, 3, 10), 3) == date(2023, 3, 10)
    assert cutoff(date(2028, 2, 29), 1) == date(2027, 2, 28)


def test_a_case_is_due_on_the_anniversary_of_its_closing_in_the_agencys_zone(
    cast, sam, cora, closed, clock
):
    clock.move_to(datetime(2026, 3, 9, 23, 30, tzinfo=CHICAGO))  # 10 March in UTC already
    assert batch_propose(actor=cora, kind=RecordKind.CLOSED_CASE) is None
    clock.move_to(datetime(2026, 3, 10, 0, 30, tzinfo=CHICAGO))
    batch = batch_propose(actor=cora, kind=RecordKind.CLOSED_CASE)
    item = batch.items.get()
    assert (item.object_id, item.trigger_date) == (closed.pk, date(2023, 3, 10))
    assert item.label == f"Case {closed.number}"  # never a name


def test_a_schedule_needs_a_legal_basis_and_the_coordinators_right(cast, sam, cora):
    with pytest.raises(ValidationError):
        schedule_save(actor=cora, kind=RecordKind.CLOSED_CASE, years=5, legal_basis="  ")
    with pytest.raises(PermissionDenied):
        schedule_save(actor=sam, kind=RecordKind.CLOSED_CASE, years=5, legal_basis="x")


def test_the_proposer_may_not_approve_and_the_refusal_is_logged(
    cast, sam, cora, closed, clock, new_audit_events
):
    clock.move_to(datetime(2026, 4, 1, 9, 0, tzinfo=CHICAGO))
    batch = batch_propose(actor=sam, kind=RecordKind.CLOSED_CASE)
    with pytest.raises(ValidationError, match="another supervisor"):
        batch_approve(actor=sam, batch=batch)
    assert Case.objects.filter(pk=closed.pk).exists()
    assert PurgeBatch.objects.get(pk=batch.pk).status == BatchStatus.PROPOSED
    assert len(new_audit_events(action=AuditAction.PURGE_REFUSED)) == 1
    certificate = batch_approve(actor=cora, batch=batch)
    assert certificate.count == 1
    assert not Case.objects.filter(pk=closed.pk).exists()


def test_an_advocate_may_neither_propose_nor_approve(cast, alice, sam, closed, clock):
    clock.move_to(datetime(2026, 4, 1, 9, 0, tzinfo=CHICAGO))
    with pytest.raises(PermissionDenied):
        batch_propose(actor=alice, kind=RecordKind.CLOSED_CASE)
    batch = batch_propose(actor=sam, kind=RecordKind.CLOSED_CASE)
    with pytest.raises(PermissionDenied):
        batch_approve(actor=alice, batch=batch)


def test_a_held_case_is_kept_and_its_direct_purge_refused(cast, sam, cora, closed, clock):
    clock.move_to(datetime(2026, 4, 1, 9, 0, tzinfo=CHICAGO))
    batch = batch_propose(actor=sam, kind=RecordKind.CLOSED_CASE)
    hold = hold_place(actor=sam, case=closed, reason="Subpoena in a civil matter, 2026-L-1")
    with pytest.raises(ValidationError, match="legal hold"):
        record_destroy(
            actor=cora, kind=RecordKind.CLOSED_CASE, record=closed, last_day=date.today()
        )
    certificate = batch_approve(actor=cora, batch=batch)
    assert (certificate.count, certificate.kept) == (0, 1)
    assert batch.items.get().status == ItemStatus.SKIPPED
    assert "legal hold" in batch.items.get().skip_reason
    assert Case.objects.filter(pk=closed.pk).exists()
    # A hold on the person keeps their cases too; released, the next batch takes them.
    hold_release(actor=sam, hold=hold)
    person_hold = hold_place(actor=sam, person=closed.primary_victim, reason="Audit")
    assert batch_propose(actor=sam, kind=RecordKind.CLOSED_CASE) is None
    hold_release(actor=sam, hold=person_hold)
    assert batch_propose(actor=sam, kind=RecordKind.CLOSED_CASE).items.count() == 1


def test_a_case_reopened_since_it_was_proposed_is_dropped(cast, sam, cora, closed, clock):
    clock.move_to(datetime(2026, 4, 1, 9, 0, tzinfo=CHICAGO))
    batch = batch_propose(actor=sam, kind=RecordKind.CLOSED_CASE)
    case_change_status(
        actor=sam, case=closed, status=CaseStatus.ACTIVE, reason="Victim called back"
    )
    certificate = batch_approve(actor=cora, batch=batch)
    assert certificate.count == 0
    assert batch.items.get().skip_reason == "Reopened since it was proposed."
    assert Case.objects.filter(pk=closed.pk).exists()


def test_the_person_stays_while_another_case_of_theirs_remains(cast, sam, cora, closed, clock):
    from haven.cases.services import case_open

    clock.move_to(datetime(2026, 4, 1, 9, 0, tzinfo=CHICAGO))
    victim = closed.primary_victim
    case_open(
        actor=sam,
        victim=victim,
        source="walk_in",
        received_at=datetime(2026, 4, 1, 8, 0, tzinfo=CHICAGO),
        victimizations=["domestic_violence"],
    )
    batch = batch_propose(actor=sam, kind=RecordKind.CLOSED_CASE)
    batch_approve(actor=cora, batch=batch)
    assert not Case.objects.filter(pk=closed.pk).exists()
    assert Person.objects.filter(pk=victim.pk).exists()


def test_the_monthly_job_proposes_once_and_tells_the_other_supervisors(
    cast, sam, cora, closed, clock
):
    for member in (cast.supervisor, cast.coordinator, cast.advocate):
        member.user.email = f"{member.user.username}@riverside.test"
        member.user.save()
    clock.move_to(datetime(2026, 4, 1, 1, 40, tzinfo=CHICAGO))
    retention_propose_monthly.call_local()
    batch = PurgeBatch.objects.get(agency=cast.agency_a)
    assert batch.proposed_by is None and batch.proposed_label == "retention monthly job"
    told = set(
        StaffAlert.objects.filter(source=f"retention.batch:{batch.pk}").values_list(
            "recipient__role", flat=True
        )
    )
    assert told == {"supervisor", "coordinator"}
    assert propose_due(agency=cast.agency_a) == []  # the first still waits
    assert batch_approve(actor=sam, batch=batch).count == 1


def test_the_pages_show_the_batch_and_a_printable_certificate(
    client_as, cast, sam, cora, closed, clock
):
    clock.move_to(datetime(2026, 4, 1, 9, 0, tzinfo=CHICAGO))
    number = closed.number
    name = closed.primary_victim.last_name
    client = client_as("supervisor")
    assert client.get("/retention/").status_code == 200
    response = client.post("/retention/batches/propose/", {"kind": RecordKind.CLOSED_CASE})
    batch = PurgeBatch.objects.get(agency=cast.agency_a)
    assert response.url == f"/retention/batches/{batch.pk}/"
    page = client.get(response.url)
    assert number in page.content.decode() and "another supervisor" in page.content.decode()
    client.post(f"/retention/batches/{batch.pk}/approve/")
    assert PurgeBatch.objects.get(pk=batch.pk).status == BatchStatus.PROPOSED
    client = client_as("coordinator")
    client.post(f"/retention/batches/{batch.pk}/approve/")
    certificate = DestructionCertificate.objects.get(batch=batch)
    page = client.get(f"/retention/certificates/{certificate.pk}/")
    assert page.status_code == 200 and certificate.sha256 in page.content.decode()
    assert name not in page.content.decode()
    pdf = client.get(f"/retention/certificates/{certificate.pk}/?format=pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert client_as("auditor").get("/retention/certificates/").status_code == 200
    assert client_as("advocate").get("/retention/").status_code == 403


def test_a_coordinator_sets_a_schedule_on_its_page(client_as, cast):
    client = client_as("coordinator")
    response = client.post(
        "/retention/schedule/?kind=anonymous_contact",
        {"years": "4", "legal_basis": "2 CFR 200.334 and the agency's schedule", "active": "on"},
    )
    assert response.status_code == 302
    assert client_as("supervisor").get("/retention/schedule/?kind=closed_case").status_code == 403
