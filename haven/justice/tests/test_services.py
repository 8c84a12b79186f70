"""Recording court and custody events by hand: who may, what is audited and put on the
timeline, the messages queued for the victim, and honoring rights (by hand and on delivery)."""

from datetime import time, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from haven.cases.models import CaseEvent, CaseEventKind
from haven.justice import services
from haven.justice.models import CourtEvent, ObligationStatus, RightsObligation
from haven.justice.selectors import obligations_overdue
from haven.justice.services.obligations import _open_obligations
from haven.notices.models import Message, MessageStatus
from haven.notices.services import message_mark_delivered, notice_settings_update
from haven.people import services as people_services

pytestmark = pytest.mark.django_db


def soon(days=10):
    return timezone.now() + timedelta(days=days)


def test_a_specialist_records_a_court_date_with_audit_timeline_and_a_message_queued(
    cast, alice, court_case, new_audit_events
):
    event = services.court_event_record(
        actor=alice,
        court_case=court_case,
        kind="arraignment",
        scheduled_at=soon(),
        courthouse="Leighton Criminal Court Building",
        courtroom="302",
    )

    assert CourtEvent.objects.get().case == cast.case_a
    [line] = CaseEvent.objects.filter(case=cast.case_a, kind=CaseEventKind.JUSTICE).order_by("-pk")[
        :1
    ]
    assert "Arraignment set for" in line.data["summary"] and "26CR0001" in line.data["summary"]
    actions = [e.action for e in new_audit_events()]
    assert "justice.court_event_save" in actions and "justice.obligation_create" in actions
    notice = event.obligations.get()
    messages = Message.objects.filter(source=f"justice.obligation:{notice.pk}")
    assert messages.exists()
    message = messages.first()
    assert message.template == "court_event_scheduled"
    assert message.dedupe_key == f"obligation:{notice.pk}"
    assert message.person == cast.victim_a


def test_the_prosecutors_obligations_queue_no_message(alice, court_case):
    event = services.court_event_record(
        actor=alice, court_case=court_case, kind="plea", scheduled_at=soon()
    )

    for heard in event.obligations.filter(owed_by="prosecutor"):
        assert not Message.objects.filter(source=f"justice.obligation:{heard.pk}").exists()


def test_recording_twice_through_the_same_service_call_is_idempotent(cast, alice, court_case):
    event = services.court_event_record(
        actor=alice, court_case=court_case, kind="arraignment", scheduled_at=soon()
    )
    again = _open_obligations(
        alice,
        case=cast.case_a,
        court_case=court_case,
        trigger="court.scheduled",
        kind="arraignment",
        trigger_at=timezone.now(),
        event_at=event.scheduled_at,
        court_event=event,
    )

    assert again == [] and event.obligations.count() == 1


@pytest.mark.parametrize("role", ["officer", "analyst", "auditor"])
def test_only_caseworkers_record_court_events(cast, court_case, role):
    with pytest.raises(PermissionDenied):
        services.court_event_record(
            actor=cast.actor(role), court_case=court_case, kind="trial", scheduled_at=soon()
        )
    assert not CourtEvent.objects.exists()


def test_another_agencys_specialist_cannot_touch_the_case(cast, charlie):
    with pytest.raises(PermissionDenied):
        services.court_case_save(actor=charlie, case=cast.case_a, court="X", number="1")
    with pytest.raises(PermissionDenied):
        services.custody_event_record(
            actor=charlie, case=cast.case_a, kind="arrested", occurred_at=timezone.now()
        )


def test_a_custody_event_in_the_future_is_refused(cast, alice):
    with pytest.raises(ValidationError, match="once it happened"):
        services.custody_event_record(
            actor=alice, case=cast.case_a, kind="escaped", occurred_at=soon(1)
        )


def test_honoring_a_right_records_how_when_and_who(cast, alice, court_case, new_audit_events):
    event = services.court_event_record(
        actor=alice, court_case=court_case, kind="arraignment", scheduled_at=soon()
    )
    notice = event.obligations.get()

    services.obligation_honor(actor=alice, obligation=notice, how="phone", note="Told her")

    notice.refresh_from_db()
    assert notice.status == ObligationStatus.HONORED and notice.how == "phone"
    assert notice.by == cast.advocate and notice.honored_at is not None
    [audit] = new_audit_events(action="justice.obligation_honor")
    assert audit.details["how"] == "phone"
    with pytest.raises(ValidationError, match="already honored"):
        services.obligation_honor(actor=alice, obligation=notice, how="phone")


def test_waiving_needs_a_reason(alice, court_case):
    event = services.court_event_record(
        actor=alice, court_case=court_case, kind="arraignment", scheduled_at=soon()
    )
    notice = event.obligations.get()

    with pytest.raises(ValidationError):
        services.obligation_waive(actor=alice, obligation=notice, reason="  ")
    services.obligation_waive(actor=alice, obligation=notice, reason="Victim declined notices")

    notice.refresh_from_db()
    assert notice.status == ObligationStatus.WAIVED and notice.note == "Victim declined notices"


def test_a_delivered_message_honors_its_obligation(
    cast, alice, court_case, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        event = services.court_event_record(
            actor=alice, court_case=court_case, kind="arraignment", scheduled_at=soon()
        )
    notice = event.obligations.get()
    message = Message.objects.get(source=f"justice.obligation:{notice.pk}")
    if message.status != MessageStatus.SENT:  # the worker sends it after commit
        Message.objects.filter(pk=message.pk).update(status=MessageStatus.SENT)

    with django_capture_on_commit_callbacks(execute=True):
        assert message_mark_delivered(message=message)

    notice.refresh_from_db()
    assert notice.status == ObligationStatus.HONORED and notice.how == "message"
    assert notice.honored_at is not None and notice.by is None


def test_an_email_the_mail_server_accepted_honors_its_obligation(
    cast, alice, cora, court_case, smtp_inbox, django_capture_on_commit_callbacks
):
    # Tests run at any hour: no quiet hours, so the worker sends at once.
    notice_settings_update(actor=cora, quiet_start=time(0, 0), quiet_end=time(0, 0))
    people_services.contact_point_add(
        actor=alice,
        person=cast.case_a.primary_victim,
        kind="email",
        value="dana@example.org",
        ok_mail=True,
    )
    with django_capture_on_commit_callbacks(execute=True):
        event = services.court_event_record(
            actor=alice, court_case=court_case, kind="arraignment", scheduled_at=soon()
        )
    notice = event.obligations.get()
    message = Message.objects.get(source=f"justice.obligation:{notice.pk}", channel="email")

    assert message.status == MessageStatus.SENT
    assert [rcpts for rcpts, _ in smtp_inbox.messages] == [["dana@example.org"]]
    notice.refresh_from_db()
    assert notice.status == ObligationStatus.HONORED and notice.how == "message"
    assert notice.honored_at == message.sent_at


def test_overdue_obligations_are_counted_by_specialist_and_district(cast, alice, sam, court_case):
    services.custody_event_record(
        actor=alice,
        case=cast.case_a,
        kind="released_on_bond",
        occurred_at=timezone.now() - timedelta(hours=6),
    )
    services.court_event_record(
        actor=alice, court_case=court_case, kind="trial", scheduled_at=soon(30)
    )

    assert obligations_overdue(alice) == 1
    assert obligations_overdue(sam, district=cast.district_a) == 1
    assert obligations_overdue(sam, specialist=cast.advocate2) == 0
    assert obligations_overdue(cast.actor("analyst")) == 1
    assert obligations_overdue(cast.actor("officer")) == 0
    # The release, the trial's notice, and communicating with the prosecution.
    assert RightsObligation.objects.count() == 3
