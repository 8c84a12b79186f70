import re
from datetime import time

import pytest

from haven.audit.models import AuditAction
from haven.notices.models import Channel, Message, MessageStatus, OptOut
from haven.notices.services import (
    notice_settings_update,
    opt_in_record,
    opt_out_record,
    send_due,
)
from haven.notices.tests.helpers import link_token


def test_the_link_in_a_message_stops_that_channel_at_once_without_signing_in(
    client, victim, with_email, with_text, queue, new_audit_events
):
    made = queue(key="one")
    email = next(m for m in made if m.channel == Channel.EMAIL)
    pending = queue(key="two")  # still queued when the person clicks
    page = client.get(f"/n/{link_token(email)}/")
    assert page.status_code == 200
    assert "Stop messages by email" in page.content.decode()
    assert "Dana" not in page.content.decode()  # the page never says who it is for

    response = client.post(f"/n/{link_token(email)}/", {"stop": "channel"})
    assert response.status_code == 200
    assert "You will not get these messages any more" in response.content.decode()
    assert list(OptOut.objects.values_list("channel", "via")) == [("email", "link")]
    statuses = {m.channel: Message.objects.get(pk=m.pk).status for m in pending}
    assert statuses == {Channel.EMAIL: MessageStatus.SUPPRESSED, Channel.SMS: MessageStatus.QUEUED}
    later = queue(key="three")
    assert {m.channel: m.status for m in later} == {
        Channel.EMAIL: MessageStatus.SUPPRESSED,
        Channel.SMS: MessageStatus.QUEUED,
    }
    assert [e.action for e in new_audit_events(action=AuditAction.NOTICE_OPT_OUT)] == [
        AuditAction.NOTICE_OPT_OUT
    ]


def test_the_opt_out_page_speaks_the_persons_language(client, victim, with_email, queue):
    victim.preferred_language = "pl"
    victim.save(update_fields=["preferred_language"])
    message = queue()[0]
    page = client.get(f"/n/{link_token(message)}/").content.decode()
    assert 'lang="pl"' in page
    assert "Nie wysyłaj żadnych wiadomości" in page


def test_a_wrong_link_is_not_found(client, cast):
    assert client.get("/n/nothing-here/").status_code == 404


def test_stopping_all_messages_suppresses_every_written_channel(
    client, with_email, with_text, queue, smtp_inbox
):
    email = queue(key="one")[0]
    client.post(f"/n/{link_token(email)}/", {"stop": "all"})
    assert send_due() == 0
    assert smtp_inbox.messages == []
    later = queue(
        key="two", template="referral_update", facts={"organization": "X", "status": "ok"}
    )
    assert {m.status for m in later} == {MessageStatus.SUPPRESSED}


def test_a_rights_notice_to_someone_who_opted_out_becomes_a_call_task(
    cast, alice, victim, with_email, queue
):
    opt_out_record(actor=alice, person=victim, channel="all")
    made = queue(
        template="court_event_scheduled",
        facts={"event": "Arraignment", "when": "soon"},
        source="justice.obligation:17",
    )
    by_channel = {m.channel: m for m in made}
    assert by_channel[Channel.EMAIL].status == MessageStatus.SUPPRESSED
    call = by_channel[Channel.PHONE]
    assert call.status == MessageStatus.READY
    assert "rights notice" in call.status_note
    assert call.task.title == "Call Dana Reyes about: court date set"


def test_staff_can_opt_a_person_back_in(alice, victim, with_email, queue, new_audit_events):
    opt_out_record(actor=alice, person=victim, channel="email")
    assert queue(key="one")[0].status == MessageStatus.SUPPRESSED
    assert opt_in_record(actor=alice, person=victim, channel="email") == 1
    assert queue(key="two")[0].status == MessageStatus.QUEUED
    actions = [
        e.action for e in new_audit_events(object_type__in=["notices.optout", "people.person"])
    ]
    assert AuditAction.NOTICE_OPT_OUT in actions and AuditAction.NOTICE_OPT_IN in actions


@pytest.mark.parametrize(
    ("source", "switch", "expect"),
    [
        ("update:court_date", "court_date", 0),
        ("update:arrest", "arrest", 0),
        ("justice.obligation:5", "court_date", 1),  # rights notices are never switched off
        ("update:court_date", None, 1),
    ],
)
def test_the_agency_switches_automatic_updates_but_never_rights_notices(
    cora, with_email, queue, source, switch, expect
):
    if switch:
        notice_settings_update(actor=cora, **{switch: False})
    made = queue(template="court_event_changed", facts={"event": "Trial"}, source=source)
    assert len(made) == expect


def test_telling_the_victim_their_specialist_is_the_automatic_update_of_assignment(
    cast, sam, with_email, smtp_inbox, django_capture_on_commit_callbacks
):
    from haven.cases.services import case_assign

    with django_capture_on_commit_callbacks(execute=True):
        case_assign(actor=sam, case=cast.case_a, assignee=cast.advocate2)
    message = Message.objects.get(template="specialist_assigned")
    assert message.source == "update:specialist_assigned"
    assert "Bob Burke" in message.subject
    assert message.status == MessageStatus.SENT  # the on-commit kick sent it
    assert len(smtp_inbox.messages) == 1


def test_no_assignment_message_when_the_agency_switched_it_off(
    cast, sam, cora, with_email, django_capture_on_commit_callbacks
):
    from haven.cases.services import case_assign

    notice_settings_update(actor=cora, specialist_assigned=False)
    with django_capture_on_commit_callbacks(execute=True):
        case_assign(actor=sam, case=cast.case_a, assignee=cast.advocate2)
    assert not Message.objects.exists()


def test_notice_settings_are_only_for_coordinators(alice):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        notice_settings_update(actor=alice, quiet_start=time(22, 0))


def test_the_persons_page_says_which_messages_they_asked_to_stop(client_as, alice, victim):
    page = client_as("advocate").get(f"/people/{victim.pk}/").content.decode()
    assert "Asked not to get" not in page

    opt_out_record(actor=alice, person=victim, channel="sms")
    page = client_as("advocate").get(f"/people/{victim.pk}/").content.decode()

    assert "Asked not to get:</strong>" in page and "text messages (since" in page


def test_the_opt_out_link_in_every_message_is_absolute(victim, with_email, with_text, queue):
    # No HAVEN_SITE_URL in the test environment: links still carry a full address.
    for message in queue(key="absolute"):
        assert re.search(r"https?://[^/\s]+/n/[^/\s]+/", message.body), message.body
        assert not re.search(r"(?<![\w:/.])/n/", message.body), message.body


def test_the_opt_out_page_keeps_its_token_on_the_site_and_out_of_caches(
    client, victim, with_email, queue
):
    email = next(m for m in queue(key="headers") if m.channel == Channel.EMAIL)
    page = client.get(f"/n/{link_token(email)}/")
    # same-origin, not no-referrer: under no-referrer Chromium posts with `Origin: null`.
    assert page["Referrer-Policy"] == "same-origin"
    assert page["Cache-Control"] == "no-store"
