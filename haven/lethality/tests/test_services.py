"""Recording a lethality screen and its hotline follow-up: who may, what high danger sets off
(priority, task, alert by real SMTP, timeline, audit), and what a screen that does not screen in
leaves alone."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone

from haven.agencies.models import Agency
from haven.audit.models import AuditAction
from haven.cases.models import Case, CaseEventKind, CaseStatus, Priority, Task
from haven.cases.services import case_change_status
from haven.core.actor import Actor
from haven.lethality.models import LethalityScreen, Outcome, ScreenedBy, SpokeWithHotline
from haven.lethality.services import (
    HOTLINE_TASK_TITLE,
    lethality_hotline_record,
    lethality_screen_record,
)
from haven.lethality.testing import HIGH_DANGER, N, U, Y, answers, make_screen, screen_answers
from haven.notices.staff_alerts import alerts_send_due

pytestmark = pytest.mark.django_db

WORRIES = "He said he would find me wherever I go."


def record(actor, case, **fields) -> LethalityScreen:
    return lethality_screen_record(actor=actor, case=case, screen=screen_answers(**fields))


def fresh(case: Case) -> Case:
    return Case.objects.get(pk=case.pk)


# What a screen keeps.


def test_a_specialist_records_a_screen_that_does_not_screen_in_and_nothing_else_changes(
    alice, cast, new_audit_events, django_capture_on_commit_callbacks
):
    given = answers((N, N, U), (Y, Y, Y, N, N, U, N, N))
    tasks_before = Task.objects.filter(case=cast.case_a).count()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        screen = record(alice, cast.case_a, answers=given, worries=f"  {WORRIES} ")

    screen = LethalityScreen.objects.get(pk=screen.pk)
    assert screen.answers == given
    assert screen.outcome == Outcome.NOT_SCREENED_IN and not screen.screened_in
    assert screen.person == cast.victim_a
    assert screen.screened_by == cast.advocate and screen.by_role == ScreenedBy.SPECIALIST
    assert screen.victim_answered and not screen.officer_belief
    assert screen.worries == WORRIES
    assert screen.victim_spoke_with_hotline == SpokeWithHotline.UNKNOWN
    assert screen.hotline_task is None
    case = fresh(cast.case_a)
    assert case.priority == Priority.NORMAL
    assert Task.objects.filter(case=case).count() == tasks_before
    assert not case.events.filter(kind=CaseEventKind.PRIORITY_CHANGED).exists()
    event = case.events.get(kind=CaseEventKind.LETHALITY_SCREEN)
    assert event.data == {"summary": "Did not screen in"} and event.actor == cast.advocate
    assert callbacks == []
    assert [e.action for e in new_audit_events()] == [AuditAction.LETHALITY_SCREEN]
    assert new_audit_events()[0].details == {
        "case": case.pk,
        "by_role": "specialist",
        "victim_answered": True,
        "officer_belief": False,
        "outcome": "not_screened_in",
        "priority_raised": False,
        "hotline_task": None,
    }


def test_the_open_answer_and_the_reason_are_encrypted_at_rest(alice, cast):
    screen = record(
        alice,
        cast.case_a,
        worries=WORRIES,
        victim_spoke_with_hotline=SpokeWithHotline.NO,
        reason_not_spoke="Her partner came back into the room.",
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT worries, reason_not_spoke FROM lethality_lethalityscreen WHERE id = %s",
            [screen.pk],
        )
        stored = " ".join(cursor.fetchone())
    assert "find me" not in stored and "partner" not in stored
    assert LethalityScreen.objects.get(pk=screen.pk).worries == WORRIES


# High danger.


def test_high_danger_raises_priority_opens_the_hotline_task_and_alerts_by_smtp_after_commit(
    alice, cast, emails, smtp_inbox, new_audit_events, django_capture_on_commit_callbacks
):
    before = timezone.now()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        screen = record(alice, cast.case_a, answers=HIGH_DANGER, worries=WORRIES)
    assert smtp_inbox.messages == []  # nothing goes out before the commit
    assert len(callbacks) == 1

    case = fresh(cast.case_a)
    assert screen.outcome == Outcome.PROTOCOL
    assert case.priority == Priority.HIGH
    task = Task.objects.get(case=case, title=HOTLINE_TASK_TITLE)
    assert screen.hotline_task == task
    assert task.assignee == cast.advocate and task.created_by == cast.advocate
    assert before + timedelta(hours=2) <= task.due_at <= timezone.now() + timedelta(hours=2)
    kinds = list(case.events.order_by("id").values_list("kind", "data"))
    assert (
        CaseEventKind.LETHALITY_SCREEN,
        {"summary": "High danger: screened in by the protocol"},
    ) in kinds
    assert (
        CaseEventKind.PRIORITY_CHANGED,
        {"summary": "Normal → High: the lethality screen screened in"},
    ) in kinds
    assert (CaseEventKind.TASK_ADDED, {}) in kinds
    events = new_audit_events()
    assert [e.action for e in events] == [
        AuditAction.CASE_PRIORITY,
        AuditAction.TASK_ADD,
        AuditAction.LETHALITY_SCREEN,
    ]
    assert events[0].details == {"to": "high", "lethality_screen": screen.pk}
    assert events[2].details["priority_raised"] is True
    assert events[2].details["hotline_task"] == task.pk

    for callback in callbacks:
        callback()
    alerts_send_due()  # the staff-alert worker (its kick waits for a commit the test never makes)

    # One email to each (the outbox tracks each recipient's delivery on its own).
    assert len(smtp_inbox.messages) == 2
    assert sorted(r for rcpts, _m in smtp_inbox.messages for r in rcpts) == [
        "alice@x.example",
        "bob@x.example",
    ]
    recipients, message = smtp_inbox.messages[0]
    assert message["Subject"] == f"High danger: lethality screen on case {case.number}"
    body = message.get_payload(decode=True).decode()
    assert f"/cases/{case.pk}/" in body and "domestic violence hotline" in body
    raw = message.as_string()
    for secret in ["Dana", "Reyes", "JA100001", "find me", "weapon", "Yes"]:
        assert secret not in raw, secret
    alert = new_audit_events(action=AuditAction.LETHALITY_ALERT)[0]
    assert alert.actor_label == "lethality alert" and alert.object_id == str(case.pk)
    assert alert.details == {
        "screen": screen.pk,
        "to": [cast.advocate2.pk, cast.advocate.pk],
        "texted": [],  # the on-call specialist has no phone on file
        "fallback": False,
    }


def test_the_screeners_belief_screens_in_when_the_victim_declined(alice, cast):
    screen = record(
        alice,
        cast.case_a,
        answers=[U] * 11,
        victim_answered=False,
        officer_belief=True,
    )

    assert screen.outcome == Outcome.BELIEF and not screen.victim_answered
    assert fresh(cast.case_a).priority == Priority.HIGH
    assert Task.objects.filter(case=cast.case_a, title=HOTLINE_TASK_TITLE).exists()


def test_a_declined_screen_without_the_belief_does_not_screen_in(alice, cast):
    screen = record(alice, cast.case_a, answers=[U] * 11, victim_answered=False)

    assert screen.outcome == Outcome.NOT_SCREENED_IN
    assert fresh(cast.case_a).priority == Priority.NORMAL


def test_answers_that_screen_in_say_the_protocol_and_keep_the_belief_too(alice, cast):
    screen = record(alice, cast.case_a, answers=HIGH_DANGER, officer_belief=True)

    assert screen.outcome == Outcome.PROTOCOL and screen.officer_belief


def test_a_case_already_high_priority_is_not_raised_again(
    alice, cast, new_audit_events, django_capture_on_commit_callbacks
):
    Case.objects.filter(pk=cast.case_a.pk).update(priority=Priority.HIGH)
    case = fresh(cast.case_a)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        record(alice, case, answers=HIGH_DANGER)
        record(alice, case, answers=HIGH_DANGER)

    assert not case.events.filter(kind=CaseEventKind.PRIORITY_CHANGED).exists()
    assert not new_audit_events(action=AuditAction.CASE_PRIORITY)
    assert len(callbacks) == 2  # each high-danger screen alerts
    assert case.lethality_screens.count() == 2  # a later screen is a new one


def test_no_hotline_task_when_the_victim_already_spoke_with_the_hotline(alice, cast):
    screen = record(
        alice,
        cast.case_a,
        answers=HIGH_DANGER,
        hotline_called=True,
        victim_spoke_with_hotline=SpokeWithHotline.YES,
    )

    assert screen.hotline_task is None
    assert not Task.objects.filter(case=cast.case_a, title=HOTLINE_TASK_TITLE).exists()
    assert fresh(cast.case_a).priority == Priority.HIGH


def test_an_unassigned_case_gives_the_hotline_task_to_the_screening_specialist(bob, cast):
    Case.objects.filter(pk=cast.case_a.pk).update(assigned_to=None)
    screen = record(bob, fresh(cast.case_a), answers=HIGH_DANGER)

    assert screen.hotline_task.assignee == cast.advocate2


# What is refused.


@pytest.mark.parametrize(
    "fields, field",
    [
        ({"answers": answers((Y, "maybe", N))}, "q2"),
        ({"answers": answers()[:10]}, "answers"),
        ({"answers": answers((Y, N, N)), "victim_answered": False}, "victim_answered"),
        ({"worries": "x" * 2001}, "worries"),
        ({"victim_spoke_with_hotline": "perhaps"}, "victim_spoke_with_hotline"),
        ({"victim_spoke_with_hotline": "yes", "reason_not_spoke": "busy"}, "reason_not_spoke"),
    ],
    ids=["unknown answer", "ten answers", "declined with answers", "long", "spoke?", "reason"],
)
def test_a_screen_that_does_not_fit_is_refused_naming_the_field_and_nothing_is_saved(
    alice, cast, fields, field, row_counts
):
    before = row_counts()
    with pytest.raises(ValidationError) as caught:
        record(alice, cast.case_a, **({"answers": HIGH_DANGER} | fields))

    assert field in caught.value.message_dict
    assert row_counts() == before and not LethalityScreen.objects.exists()


def test_a_closed_case_takes_no_screen(alice, cast, row_counts):
    case_change_status(actor=alice, case=cast.case_a, status=CaseStatus.CLOSED, reason="Done")
    before = row_counts()
    with pytest.raises(ValidationError, match="closed"):
        record(alice, cast.case_a, answers=HIGH_DANGER)
    assert row_counts() == before and not LethalityScreen.objects.exists()


def test_only_someone_on_the_case_can_be_screened(alice, cast):
    from haven.people.services import person_create

    stranger = person_create(actor=alice, first_name="Not", last_name="OnCase")
    with pytest.raises(ValidationError) as caught:
        lethality_screen_record(
            actor=alice, case=cast.case_a, screen=screen_answers(), person=stranger
        )
    assert "person" in caught.value.message_dict
    assert not LethalityScreen.objects.exists()


@pytest.mark.parametrize("role", ["officer", "analyst", "auditor"])
def test_officers_analysts_and_auditors_cannot_record_a_screen_on_an_existing_case(
    cast, role, row_counts
):
    before = row_counts()
    with pytest.raises(PermissionDenied):
        record(cast.actor(role), cast.case_a, answers=HIGH_DANGER)
    assert row_counts() == before and not LethalityScreen.objects.exists()
    assert fresh(cast.case_a).priority == Priority.NORMAL


def test_another_agencys_case_is_refused(alice, charlie, cast, row_counts):
    before = row_counts()
    with pytest.raises(PermissionDenied):
        record(alice, cast.case_b, answers=HIGH_DANGER)
    with pytest.raises(PermissionDenied):
        record(charlie, cast.case_a, answers=HIGH_DANGER)
    assert row_counts() == before and not LethalityScreen.objects.exists()


def test_the_system_actor_cannot_record_a_screen(cast):
    with pytest.raises(PermissionDenied):
        record(Actor.system(cast.agency_a, "script"), cast.case_a, answers=HIGH_DANGER)
    assert not LethalityScreen.objects.exists()


# The hotline follow-up.


def test_the_hotline_follow_up_is_recorded_and_completes_the_hotline_task(
    alice, bob, cast, new_audit_events
):
    screen = record(alice, cast.case_a, answers=HIGH_DANGER, worries=WORRIES)
    lethality_hotline_record(
        actor=bob,
        screen=screen,
        hotline_called=True,
        victim_spoke_with_hotline=SpokeWithHotline.YES,
    )

    screen = LethalityScreen.objects.get(pk=screen.pk)
    assert screen.hotline_called and screen.victim_spoke_with_hotline == SpokeWithHotline.YES
    assert screen.hotline_updated_by == cast.advocate2 and screen.hotline_updated_at is not None
    assert screen.hotline_task.completed_at is not None
    assert screen.hotline_task.completed_by == cast.advocate2
    # The rest of the screen is as it was recorded.
    assert screen.answers == HIGH_DANGER and screen.outcome == Outcome.PROTOCOL
    assert screen.worries == WORRIES and screen.screened_by == cast.advocate
    event = new_audit_events(action=AuditAction.LETHALITY_HOTLINE)[0]
    assert event.actor_label == "bob"
    assert event.details == {
        "case": cast.case_a.pk,
        "fields": ["hotline_called", "victim_spoke_with_hotline"],
        "spoke": "yes",
        "task_completed": True,
    }


def test_a_no_keeps_the_reason_and_leaves_the_task_open(alice, cast):
    screen = record(alice, cast.case_a, answers=HIGH_DANGER)
    lethality_hotline_record(
        actor=alice,
        screen=screen,
        hotline_called=True,
        victim_spoke_with_hotline=SpokeWithHotline.NO,
        reason_not_spoke=" Not safe to talk: he was in the next room. ",
    )

    screen = LethalityScreen.objects.get(pk=screen.pk)
    assert screen.reason_not_spoke == "Not safe to talk: he was in the next room."
    assert screen.hotline_task.completed_at is None


def test_the_same_follow_up_again_changes_and_logs_nothing(alice, cast, new_audit_events):
    screen = record(alice, cast.case_a)
    lethality_hotline_record(
        actor=alice, screen=screen, hotline_called=False, victim_spoke_with_hotline="unknown"
    )
    assert LethalityScreen.objects.get(pk=screen.pk).hotline_updated_at is None
    assert not new_audit_events(action=AuditAction.LETHALITY_HOTLINE)


def test_a_reason_with_a_yes_is_refused(alice, cast):
    screen = record(alice, cast.case_a)
    with pytest.raises(ValidationError) as caught:
        lethality_hotline_record(
            actor=alice,
            screen=screen,
            hotline_called=True,
            victim_spoke_with_hotline="yes",
            reason_not_spoke="x",
        )
    assert "reason_not_spoke" in caught.value.message_dict
    assert LethalityScreen.objects.get(pk=screen.pk).victim_spoke_with_hotline == "unknown"


@pytest.mark.parametrize("role", ["officer", "analyst", "auditor", "other_advocate"])
def test_the_follow_up_is_refused_to_other_roles_and_agencies(cast, role):
    screen = make_screen(cast.case_a)
    with pytest.raises(PermissionDenied):
        lethality_hotline_record(
            actor=cast.actor(role),
            screen=screen,
            hotline_called=True,
            victim_spoke_with_hotline="yes",
        )
    assert LethalityScreen.objects.get(pk=screen.pk).victim_spoke_with_hotline == "unknown"


def test_with_nobody_reachable_the_alert_goes_to_the_supervisors(
    alice, cast, smtp_inbox, django_capture_on_commit_callbacks
):
    Agency.objects.filter(pk=cast.agency_a.pk).update(on_call=None)
    cast.supervisor.user.email = "sam@x.example"
    cast.supervisor.user.save(update_fields=["email"])
    with django_capture_on_commit_callbacks(execute=True):
        record(alice, cast.case_a, answers=HIGH_DANGER)

    recipients, message = smtp_inbox.messages[0]
    assert recipients == ["sam@x.example"]
    assert "Nobody on call could be alerted" in message.get_payload(decode=True).decode()
