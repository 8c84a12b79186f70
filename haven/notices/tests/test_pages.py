import io

import pytest
from pypdf import PdfReader

from haven.audit.models import AuditAction
from haven.cases.models import Task
from haven.notices.models import Channel, Message, MessageStatus, NoticeSettings, OptOut
from haven.notices.signals import message_delivered
from haven.people.models import ContactKind
from haven.people.services import contact_point_add


@pytest.fixture
def with_address(victim, alice):
    return contact_point_add(
        actor=alice,
        person=victim,
        kind=ContactKind.ADDRESS,
        value="1200 W Harrison St\nChicago, IL 60607",
        ok_mail=True,
    )


def test_the_case_page_lists_the_cases_messages_with_their_status(
    cast, client_as, with_email, queue
):
    queue(template="referral_update", facts={"organization": "Legal Aid", "status": "Accepted"})
    page = client_as("advocate").get(f"/cases/{cast.case_a.pk}/panels/messages/")
    body = page.content.decode()
    assert page.status_code == 200
    assert 'id="messages"' in body
    assert "Your referral: Legal Aid" in body
    assert "Queued" in body
    assert "Send a message" in body


def test_staff_send_a_message_from_the_case(cast, client_as, with_email, new_audit_events):
    response = client_as("advocate").post(
        f"/cases/{cast.case_a.pk}/messages/send/",
        {"person": cast.case_a.primary_victim_id, "subject": "", "body": "Call me back, please."},
    )
    assert response.status_code == 302
    message = Message.objects.get()
    assert message.template == "generic"
    assert message.channel == Channel.EMAIL
    assert "Call me back, please." in message.body
    assert message.created_by == cast.advocate
    assert new_audit_events(action=AuditAction.NOTICE_QUEUE)[0].actor_label == "alice"


def test_staff_cancel_a_queued_message(cast, client_as, with_email, queue, new_audit_events):
    message = queue()[0]
    response = client_as("advocate").post(f"/messages/{message.pk}/cancel/")
    assert response.status_code == 302
    message.refresh_from_db()
    assert message.status == MessageStatus.CANCELLED
    assert new_audit_events(action=AuditAction.NOTICE_CANCEL)
    # A second cancel is refused with a message, nothing changes.
    client_as("advocate").post(f"/messages/{message.pk}/cancel/")
    assert len(new_audit_events(action=AuditAction.NOTICE_CANCEL)) == 1


def test_a_next_address_on_another_site_is_ignored(cast, client_as, with_email, queue):
    message = queue()[0]
    response = client_as("advocate").post(
        f"/messages/{message.pk}/cancel/", {"next": "https://evil.example/login"}
    )
    assert response.status_code == 302
    assert response["Location"] == f"/cases/{cast.case_a.pk}/?panel=messages#messages"


def test_a_letter_is_ready_to_print_downloads_as_a_pdf_and_is_marked_mailed(
    cast, client_as, with_address, queue, new_audit_events
):
    message = queue(template="restitution_payment", facts={"amount": "$120.00"})[0]
    assert (message.channel, message.status) == (Channel.LETTER, MessageStatus.READY)
    task = Task.objects.get(pk=message.task_id)
    assert task.title == "Print and mail a letter to Dana Reyes (restitution payment)"
    client = client_as("advocate")
    pdf = client.get(f"/messages/{message.pk}/letter.pdf")
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "$120.00" in text
    assert "1200 W Harrison St" in text
    assert new_audit_events(action=AuditAction.NOTICE_LETTER)
    listed = client.get("/messages/").content.decode()
    assert "Letters to print and mail" in listed and f"/messages/{message.pk}/letter.pdf" in listed
    client.post(f"/messages/{message.pk}/done/")
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT
    task.refresh_from_db()
    assert task.completed_at is not None


def test_logging_the_call_delivers_the_message_and_tells_listeners(
    cast, client_as, queue, django_capture_on_commit_callbacks
):
    heard = []

    def listener(sender, message, **kwargs):
        heard.append(message.pk)

    message_delivered.connect(listener)
    try:
        message = queue(template="custody_event", facts={"event": "Released on bond"})[0]
        assert message.channel == Channel.PHONE
        with django_capture_on_commit_callbacks(execute=True):
            client_as("advocate").post(f"/messages/{message.pk}/done/")
    finally:
        message_delivered.disconnect(listener)
    message.refresh_from_db()
    assert message.status == MessageStatus.DELIVERED
    assert heard == [message.pk]
    assert Task.objects.get(pk=message.task_id).completed_at is not None


def test_staff_record_an_opt_out_from_the_case(cast, client_as, with_email, queue):
    message = queue()[0]
    client_as("advocate").post(
        f"/cases/{cast.case_a.pk}/messages/opt-out/",
        {"person": cast.case_a.primary_victim_id, "channel": "email", "action": "out"},
    )
    assert list(OptOut.objects.values_list("channel", "via")) == [("email", "staff")]
    message.refresh_from_db()
    assert message.status == MessageStatus.SUPPRESSED
    page = client_as("advocate").get(f"/cases/{cast.case_a.pk}/panels/messages/").content.decode()
    assert "opted out of: email" in page


def test_the_coordinator_sets_quiet_hours_and_switches(cast, client_as, new_audit_events):
    client = client_as("coordinator")
    assert client.get("/notices/settings/").status_code == 200
    response = client.post(
        "/notices/settings/",
        {
            "quiet_start": "20:00",
            "quiet_end": "09:00",
            "court_date": "on",
            "arrest": "on",
            "first_contact_warn_hours": "12",
            "resolution_warn_days": "2",
        },
    )
    assert response.status_code == 302
    saved = NoticeSettings.objects.get(agency=cast.agency_a)
    assert (saved.quiet_start.hour, saved.quiet_end.hour) == (20, 9)
    assert (saved.first_contact_warn_hours, saved.resolution_warn_days) == (12, 2)
    assert saved.specialist_assigned is False
    assert new_audit_events(action=AuditAction.NOTICE_SETTINGS)


@pytest.mark.parametrize("role", ["advocate", "supervisor"])
def test_only_coordinators_reach_the_notice_settings(client_as, role):
    assert client_as(role).get("/notices/settings/").status_code == 403


@pytest.mark.parametrize("role", ["officer", "analyst", "auditor"])
def test_officers_analysts_and_auditors_see_no_messages(cast, client_as, with_email, queue, role):
    message = queue()[0]
    client = client_as(role)
    assert client.get("/messages/").status_code == 403
    assert client.get(f"/messages/{message.pk}/letter.pdf").status_code == 403
    assert client.post(f"/messages/{message.pk}/cancel/").status_code == 403
    message.refresh_from_db()
    assert message.status == MessageStatus.QUEUED


def test_another_agencys_advocate_gets_404_for_a_message(cast, client_as, with_email, queue):
    message = queue()[0]
    client = client_as("other_advocate")
    assert client.post(f"/messages/{message.pk}/cancel/").status_code == 404
    assert "Dana" not in client.get("/messages/").content.decode()
    message.refresh_from_db()
    assert message.status == MessageStatus.QUEUED


def test_the_messages_page_lists_failed_and_uncertain_messages(cast, client_as, with_email, queue):
    message = queue()[0]
    Message.objects.filter(pk=message.pk).update(
        status=MessageStatus.UNCERTAIN, last_error="worker stopped"
    )
    body = client_as("advocate").get("/messages/").content.decode()
    assert "Uncertain: check with the person" in body
    assert f"Case {cast.case_a.number}" in body


@pytest.mark.parametrize("language", ["ar", "zh", "pl"])
def test_letters_print_in_the_persons_script(
    cast, client_as, victim, with_address, queue, language
):
    victim.preferred_language = language
    victim.save(update_fields=["preferred_language"])
    message = queue(template="specialist_assigned", facts={"specialist": "Alice Avery"})[0]
    pdf = client_as("advocate").get(f"/messages/{message.pk}/letter.pdf")
    assert pdf.status_code == 200
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Alice Avery" in text
