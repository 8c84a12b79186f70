"""Automatic messages under the unit's control (issue 14, item 6): per victimization type,
send, hold for the specialist's review, or off; held by default for domestic violence, sexual
assault, stalking and trafficking."""

import pytest
from django.core.exceptions import ValidationError

from haven.audit.models import AuditAction
from haven.cases.models import Case, ClosureReview, Task
from haven.cases.testing import make_case
from haven.notices.automatic import automatic_rules_update, mode_for
from haven.notices.held import held_discard, held_send
from haven.notices.models import AutoKind, AutoMode, Channel, Message, MessageStatus
from haven.notices.services import messages_withdraw, send_due

# These tests are about the holds: keep the unit's real defaults (conftest.py).
pytestmark = pytest.mark.automatic_defaults

TAKEN = {"template": "specialist_assigned", "source": "update:specialist_assigned"}
COURT = {
    "template": "court_event_scheduled",
    "facts": {"event": "Trial", "when": "2026-12-10T10:30:00-06:00"},
    "source": "justice.obligation:1",
}


def statuses():
    return sorted(Message.objects.values_list("status", flat=True))


def test_a_domestic_violence_case_holds_the_automatic_message_with_a_review_task(
    cast, with_email, with_text, queue
):
    made = queue(facts={"specialist": "Alice Avery"}, **TAKEN)

    assert {m.status for m in made} == {MessageStatus.HELD}
    assert {m.channel for m in made} == {Channel.EMAIL, Channel.SMS}
    made[0].refresh_from_db()
    task = Task.objects.get(pk=made[0].task_id)
    assert task.assignee == cast.advocate
    assert task.title.startswith("Review the held message to Dana Reyes")
    assert send_due() == 0  # the worker never sends a held message


def test_a_robbery_case_sends_by_default(cast, alice, sam, queue):
    from haven.people.models import ContactKind
    from haven.people.services import contact_point_add

    case = make_case(sam, assignee=cast.advocate, victimizations=["robbery"], first_name="Rob")
    contact_point_add(
        actor=alice,
        person=case.primary_victim,
        kind=ContactKind.EMAIL,
        value="r@x.example",
        ok_mail=True,
    )
    made = queue(case=case, facts={"specialist": "Alice Avery"}, **TAKEN)
    assert [m.status for m in made] == [MessageStatus.QUEUED]


def test_send_releases_every_copy_closes_the_task_and_the_worker_sends_it(
    cast, alice, with_email, with_text, queue, new_audit_events, mailoutbox
):
    made = queue(facts={"specialist": "Alice Avery"}, **TAKEN)

    assert held_send(actor=alice, message=made[0]) == 2
    made[0].refresh_from_db()

    assert statuses() == [MessageStatus.QUEUED, MessageStatus.QUEUED]
    assert Task.objects.get(pk=made[0].task_id).completed_at is not None
    [audit] = new_audit_events(action=AuditAction.NOTICE_HELD_SEND)
    assert sorted(audit.details["copies"]) == sorted(m.pk for m in made)
    assert send_due() == 2
    assert len(mailoutbox) == 1
    with pytest.raises(ValidationError, match="no longer held"):
        held_send(actor=alice, message=made[0])


def test_discard_cancels_an_update_and_turns_a_rights_notice_into_a_call(
    cast, alice, with_email, queue
):
    update = queue(facts={"specialist": "Alice Avery"}, **TAKEN)[0]
    held_discard(actor=alice, message=update)
    update.refresh_from_db()
    assert update.status == MessageStatus.CANCELLED
    assert not Task.objects.filter(title__startswith="Call Dana").exists()

    notice = queue(key="court", **COURT)[0]
    held_discard(actor=alice, message=notice)
    notice.refresh_from_db()
    assert notice.status == MessageStatus.CANCELLED
    call = Task.objects.get(pk=notice.task_id)
    assert call.title.startswith("Call Dana Reyes about: court date set.")


def test_off_sends_no_update_and_a_rights_notice_becomes_a_call(cast, cora, with_email, queue):
    automatic_rules_update(
        actor=cora,
        modes={
            (AutoKind.CASE_TAKEN, "domestic_violence"): AutoMode.OFF,
            (AutoKind.COURT_DATE, "domestic_violence"): AutoMode.OFF,
        },
    )
    assert queue(facts={"specialist": "Alice Avery"}, **TAKEN) == []

    [call] = queue(key="court", **COURT)
    assert (call.channel, call.status) == (Channel.PHONE, MessageStatus.READY)
    assert "the rights notice is still owed" in call.status_note


def test_the_strictest_choice_of_the_cases_types_wins(cast, cora):
    case = cast.case_a
    case.victimizations.create(agency=case.agency, code="robbery")
    assert mode_for(case, AutoKind.CASE_TAKEN) == AutoMode.HOLD  # DV holds
    automatic_rules_update(
        actor=cora,
        modes={
            (AutoKind.CASE_TAKEN, "domestic_violence"): AutoMode.SEND,
            (AutoKind.CASE_TAKEN, "robbery"): AutoMode.OFF,
        },
    )
    assert mode_for(case, AutoKind.CASE_TAKEN) == AutoMode.OFF
    assert mode_for(case, None) == AutoMode.SEND  # not an automatic message


def test_a_closing_message_waits_for_the_supervisors_review(cast, alice, with_email, queue):
    [survey] = queue(
        template="survey_invitation",
        facts={"link": "http://testserver/s/x/"},
        source="reports.survey:1",
    )
    assert survey.status == MessageStatus.HELD
    Case.objects.filter(pk=cast.case_a.pk).update(closure_review=ClosureReview.PENDING)
    survey.case.refresh_from_db()
    with pytest.raises(ValidationError, match="supervisor's review"):
        held_send(actor=alice, message=survey)
    Case.objects.filter(pk=cast.case_a.pk).update(closure_review=ClosureReview.APPROVED)
    survey.case.refresh_from_db()
    assert held_send(actor=alice, message=survey) == 1


def test_a_court_date_moved_withdraws_the_held_notice(cast, alice, with_email, queue):
    [notice] = queue(key="court", **COURT)
    assert notice.status == MessageStatus.HELD
    notice.refresh_from_db()
    assert messages_withdraw(actor=alice, sources=[COURT["source"]], reason="Date moved") == 1
    notice.refresh_from_db()
    assert notice.status == MessageStatus.CANCELLED
    assert Task.objects.get(pk=notice.task_id).completed_at is not None


def test_the_to_do_page_shows_the_preview_with_send_and_discard_and_no_edit(
    cast, client_as, with_email, with_text, queue
):
    made = queue(facts={"specialist": "Alice Avery"}, **TAKEN)
    client = client_as("advocate")

    page = client.get("/messages/").content.decode()
    assert "Held for your review" in page
    assert "Alice Avery" in page and made[0].subject in page  # the preview
    assert "Edit (not allowed)" in page and ">Send<" in page and ">Discard<" in page

    response = client.post(f"/messages/{made[0].pk}/held/send/")
    assert response.status_code == 302
    assert statuses() == [MessageStatus.QUEUED, MessageStatus.QUEUED]


def test_another_agency_cannot_release_a_held_message(cast, with_email, queue, client_as):
    [message, *_] = queue(facts={"specialist": "Alice Avery"}, **TAKEN)
    response = client_as("other_advocate").post(f"/messages/{message.pk}/held/send/")
    assert response.status_code == 404
    message.refresh_from_db()
    assert message.status == MessageStatus.HELD


def test_the_coordinator_sets_the_choices_on_the_settings_page(cast, client_as, new_audit_events):
    client = client_as("coordinator")
    page = client.get("/notices/automatic/")
    assert page.status_code == 200
    form = page.context["form"]
    data = {name: field.initial for name, field in form.fields.items()}
    assert data["case_taken__domestic_violence"] == "hold"
    assert data["case_taken__robbery"] == "send"
    data["court_date__stalking"] = "off"

    response = client.post("/notices/automatic/", data)

    assert response.status_code == 302
    assert mode_for(cast.case_a, AutoKind.COURT_DATE) == AutoMode.HOLD  # DV, unchanged
    [audit] = new_audit_events(action=AuditAction.NOTICE_AUTO_RULES)
    assert audit.details["changed"] == [
        {"kind": "court_date", "victimization": "stalking", "from": "hold", "to": "off"}
    ]


@pytest.mark.parametrize("role", ["advocate", "supervisor"])
def test_only_coordinators_reach_the_automatic_settings(client_as, role):
    assert client_as(role).get("/notices/automatic/").status_code == 403
