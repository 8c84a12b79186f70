"""The 24-hour clock warns (issue 17, item 7): one digest per person per sweep, each case once
per warning, end to end through the staff-alert outbox and a real SMTP server. The clock is
frozen-and-moved (time_machine) throughout."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled

from haven.agencies.models import Agency
from haven.cases.models import Case
from haven.cases.testing import make_case
from haven.notices.digests import clock_sweep
from haven.notices.models import ClockWarning, StaffAlert
from haven.notices.services import notice_settings_update
from haven.notices.staff_alerts import alerts_send_due

EMAILS = {"advocate": "alice@x.example", "advocate2": "bob@x.example", "supervisor": "sam@x.e"}


@pytest.fixture(autouse=True)
def team(clock, cast):
    # The notices tests' own autouse fixture builds the cast before the clock is frozen: bring
    # both cases in three hours before the frozen now, as the cast means them to be.
    with scopes_disabled():
        for case in (cast.case_a, cast.case_b):
            Case.objects.filter(pk=case.pk).update(received_at=timezone.now() - timedelta(hours=3))
            case.refresh_from_db()
    for role, address in EMAILS.items():
        member = getattr(cast, role)
        member.user.email = address
        member.user.save(update_fields=["email"])
    Agency.objects.filter(pk=cast.agency_a.pk).update(on_call=cast.advocate2)
    return cast


def at(clock, case: Case, hours: float):
    """Move the clock to `hours` after the case came in."""
    clock.move_to(case.received_at + timedelta(hours=hours))


def inbox_by_person(inbox) -> dict[str, list]:
    found = {}
    for recipients, message in inbox.messages:
        for address in recipients:
            found.setdefault(address, []).append(message)
    return found


def body(message) -> str:
    return message.get_payload(decode=True).decode()


def test_nothing_before_the_agencys_warning_point(cast, clock):
    at(clock, cast.case_a, 17.9)
    assert clock_sweep() == 0
    assert not ClockWarning.objects.exists()


def test_the_specialist_is_warned_once_at_the_point_the_agency_sets(cast, clock, cora, picky_smtp):
    notice_settings_update(actor=cora, first_contact_warn_hours=12)
    at(clock, cast.case_a, 12.1)
    assert clock_sweep() == 1
    clock.move_to(timezone.now() + timedelta(minutes=15))
    assert clock_sweep() == 0  # the next sweep: the same case is not warned about again
    alerts_send_due()

    [message] = inbox_by_person(picky_smtp)["alice@x.example"]
    assert message["Subject"] == "Haven: 1 case on the clock"
    text = body(message)
    assert "First contact due soon (1):" in text
    assert f"Case {cast.case_a.number}" in text and f"/cases/{cast.case_a.pk}/" in text
    assert "Dana" not in text and "Reyes" not in text and "JA100001" not in text
    assert set(inbox_by_person(picky_smtp)) == {"alice@x.example"}


def test_the_supervisors_are_told_when_the_goal_passes(cast, clock, picky_smtp):
    at(clock, cast.case_a, 18.5)
    clock_sweep()
    at(clock, cast.case_a, 24.1)
    assert clock_sweep() == 1  # Sam only: Alice was warned already
    alerts_send_due()

    mail = inbox_by_person(picky_smtp)
    assert len(mail["alice@x.example"]) == 1
    [to_sam] = mail["sam@x.e"]
    assert "First-contact goal missed (1):" in body(to_sam)


def test_many_cases_make_one_digest_per_person_per_sweep(cast, clock, picky_smtp):
    sam = cast.actor("supervisor")
    start = timezone.now()
    others = [
        make_case(sam, assignee=cast.advocate, first_name=f"V{i}", received_at=start)
        for i in range(3)
    ]
    unassigned = make_case(sam, assignee=None, first_name="U", received_at=start)
    at(clock, others[0], 19)

    # Alice; Bob (on call) and Sam for the unassigned case; Charlie in agency B for case_b.
    assert clock_sweep() == 4
    alerts_send_due()

    mail = inbox_by_person(picky_smtp)
    [to_alice] = mail["alice@x.example"]
    assert to_alice["Subject"] == "Haven: 4 cases on the clock"  # case_a came in 3 h earlier
    for case in [*others, cast.case_a]:
        assert f"Case {case.number}," in body(to_alice)
    [to_bob] = mail["bob@x.example"]
    [to_sam] = mail["sam@x.e"]
    for message in (to_bob, to_sam):
        assert "Waiting for a specialist, no first contact yet (1):" in body(message)
        assert f"Case {unassigned.number}," in body(message)
    assert StaffAlert.objects.filter(kind="clock_digest").count() == 3


def test_a_case_nearing_and_passing_the_resolution_goal(cast, clock, picky_smtp, alice):
    from haven.cases.services import contact_log

    contact_log(
        actor=alice,
        case=cast.case_a,
        outcome="completed",
        channel="phone",
        direction="outbound",
        occurred_at=timezone.now(),
    )
    at(clock, cast.case_a, 24 * 12 + 1)  # 15-day goal, warned 3 days before
    assert clock_sweep() == 2  # Alice; and Charlie in agency B (case_b came in with case_a)
    at(clock, cast.case_a, 24 * 15 + 1)
    assert clock_sweep() == 1  # Sam (agency B has no supervisor)
    alerts_send_due()

    mail = inbox_by_person(picky_smtp)
    assert "Resolution goal near (1):" in body(mail["alice@x.example"][0])
    assert "Resolution goal passed, still open (1):" in body(mail["sam@x.e"][0])
    assert len(mail["alice@x.example"]) == 1 and len(mail["sam@x.e"]) == 1


def test_two_sweeps_at_once_warn_once(cast, clock):
    at(clock, cast.case_a, 19)
    first = clock_sweep()  # Alice (case_a) and Charlie (agency B's case_b)
    second = clock_sweep(now=timezone.now())
    assert (first, second) == (2, 0)
    assert ClockWarning.objects.filter(case=cast.case_a).count() == 1
