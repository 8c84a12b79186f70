"""Texts sent to the agency's number (issue 17, item 8: two-way texting), through the signed
inbound webhook: a reply lands on its case as an inbound contact and the specialist is told;
an unknown number waits on the agency's list; a number on two cases waits for triage; STOP,
START and HELP; one webhook twice; agency B's texts never reach A."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone
from django_scopes import scopes_disabled

from haven.audit.models import AuditAction
from haven.cases.models import Case, Contact, ContactChannel, ContactDirection
from haven.cases.services import case_assign
from haven.cases.testing import make_case
from haven.notices.models import (
    InboundKind,
    InboundState,
    InboundText,
    Message,
    MessageStatus,
    OptOut,
    StaffAlert,
)
from haven.notices.replies import ANSWERS
from haven.notices.services import notice_settings_update, opt_out_record
from haven.notices.sms import twilio_signature
from haven.people.models import ContactKind
from haven.people.services import contact_point_add

SITE = "https://haven.example.org"
PATH = "/hooks/sms/twilio/inbound/"
A_NUMBER = "+13125550000"
B_NUMBER = "+12125550000"
VICTIM = "+13125550199"


@pytest.fixture(autouse=True)
def setup(settings, cast, cora, clock):
    # The notices tests' own autouse fixture builds the cast before the clock is frozen: the
    # cases come in three hours before the frozen now (as test_digests does).
    with scopes_disabled():
        for case in (cast.case_a, cast.case_b):
            Case.objects.filter(pk=case.pk).update(received_at=timezone.now() - timedelta(hours=3))
            case.refresh_from_db()
    for member in (cast.advocate, cast.supervisor):
        member.user.email = f"{member.user.username}@riverside.example.org"
        member.user.save(update_fields=["email"])
    settings.SITE_URL = SITE
    settings.HAVEN_TWILIO_AUTH_TOKEN = "secret-token"
    settings.HAVEN_SMS_FROM = ""
    notice_settings_update(actor=cora, sms_sender=A_NUMBER)


_sids = iter(range(1, 10_000))


def text(client, body, *, sender=VICTIM, to=A_NUMBER, sid=None, signature=None):
    params = {
        "MessageSid": sid or f"SM{next(_sids):032d}",
        "From": sender,
        "To": to,
        "Body": body,
    }
    if signature is None:
        signature = twilio_signature(SITE + PATH, params, "secret-token")
    return client.post(PATH, params, headers={"X-Twilio-Signature": signature})


def answer(response) -> str:
    found = re.search(r"<Message>(.*)</Message>", response.content.decode())
    return found.group(1) if found else ""


def test_a_reply_lands_on_the_case_and_the_specialist_is_told(
    client, cast, with_text, django_capture_on_commit_callbacks, new_audit_events
):
    with django_capture_on_commit_callbacks():
        response = text(client, "Can I bring my sister to court?")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/xml")
    assert answer(response) == ANSWERS["reply"]["en"]
    stored = InboundText.objects.get()
    assert (stored.state, stored.case, stored.kind) == (
        InboundState.ON_CASE,
        cast.case_a,
        InboundKind.REPLY,
    )
    contact = Contact.objects.get(pk=stored.contact_id)
    assert contact.case == cast.case_a
    assert (contact.channel, contact.direction) == (ContactChannel.TEXT, ContactDirection.INBOUND)
    assert contact.summary == "Can I bring my sister to court?"
    # Encrypted at rest, like notes: neither the text nor the number is in the table.
    with connection.cursor() as cursor:
        cursor.execute("SELECT summary FROM cases_contact WHERE id = %s", [contact.pk])
        assert "sister" not in cursor.fetchone()[0]
        cursor.execute("SELECT body, sender FROM notices_inboundtext WHERE id = %s", [stored.pk])
        body, sender = cursor.fetchone()
        assert "sister" not in body and "555" not in sender
    [alert] = StaffAlert.objects.filter(kind="text_reply")
    assert alert.recipient == cast.advocate
    assert cast.case_a.number in alert.subject
    assert "sister" not in alert.body
    assert new_audit_events(action=AuditAction.NOTICE_REPLY)


def test_the_specialist_sees_it_on_messages_to_handle_and_marks_it_handled(client, cast, with_text):
    text(client, "Please call me after 5")
    stored = InboundText.objects.get()
    client.force_login(cast.advocate.user)
    page = client.get("/messages/")
    assert "Please call me after 5" in page.content.decode()
    assert page["Cache-Control"].startswith("no-store") or "no-store" in page["Cache-Control"]
    client.post(f"/messages/texts/{stored.pk}/handled/")
    stored.refresh_from_db()
    assert stored.handled_by == cast.advocate
    assert "Please call me after 5" not in client.get("/messages/").content.decode()


def test_an_unknown_number_matches_nobody_and_the_answer_says_nothing_more(client, cast, with_text):
    known = answer(text(client, "hello"))
    response = text(client, "who is this?", sender="+13125550177")
    assert answer(response) == known  # the same words: no hint the other number is known
    [stored] = [t for t in InboundText.objects.all() if t.body == "who is this?"]
    assert (stored.state, stored.case, stored.person) == (InboundState.UNKNOWN, None, None)
    assert Contact.objects.filter(direction=ContactDirection.INBOUND).count() == 1  # "hello"
    [alert] = StaffAlert.objects.filter(kind="text_queue")
    assert alert.recipient == cast.supervisor
    # The supervisor sees it on the agency's list; an advocate not on call does not.
    client.force_login(cast.supervisor.user)
    assert "who is this?" in client.get("/messages/").content.decode()
    client.force_login(cast.advocate.user)
    assert "who is this?" not in client.get("/messages/").content.decode()
    assert client.post(f"/messages/texts/{stored.pk}/handled/").status_code == 404


def test_a_number_on_two_cases_waits_for_triage_and_is_put_on_the_chosen_case(
    client, cast, alice, sam, with_text
):
    other = make_case(sam, assignee=cast.advocate, first_name="Dana", last_name="Other")
    contact_point_add(
        actor=alice, person=other.primary_victim, kind=ContactKind.PHONE, value=VICTIM
    )
    text(client, "is court still on friday")
    stored = InboundText.objects.get()
    assert stored.state == InboundState.TRIAGE
    assert sorted(stored.candidate_cases) == sorted([cast.case_a.pk, other.pk])
    assert not Contact.objects.filter(direction=ContactDirection.INBOUND).exists()
    client.force_login(cast.supervisor.user)
    page = client.get("/messages/").content.decode()
    assert f"Case {other.number}" in page
    client.post(f"/messages/texts/{stored.pk}/case/", {"case": other.pk})
    stored.refresh_from_db()
    assert (stored.state, stored.case) == (InboundState.ON_CASE, other)
    assert Contact.objects.get(pk=stored.contact_id).case == other


def test_triage_refuses_a_case_the_number_was_not_found_on(client, cast, alice, sam, with_text):
    other = make_case(sam, assignee=cast.advocate, first_name="Dana", last_name="Other")
    contact_point_add(
        actor=alice, person=other.primary_victim, kind=ContactKind.PHONE, value=VICTIM
    )
    third = make_case(sam, assignee=cast.advocate, first_name="Una", last_name="Related")
    text(client, "hi")
    stored = InboundText.objects.get()
    client.force_login(cast.supervisor.user)
    client.post(f"/messages/texts/{stored.pk}/case/", {"case": third.pk})
    stored.refresh_from_db()
    assert stored.state == InboundState.TRIAGE


def test_stop_opts_the_person_out_of_texts_in_their_language(
    client, cast, alice, victim, with_text, queue
):
    victim.preferred_language = "es"
    victim.save(update_fields=["preferred_language"])
    queued = [m for m in queue() if m.channel == "sms"][0]
    response = text(client, " Stop ")
    assert answer(response) == ANSWERS["stop"]["es"]
    opt_out = OptOut.objects.get(person=victim, ended_at__isnull=True)
    assert (opt_out.channel, opt_out.via) == ("sms", "text")
    queued.refresh_from_db()
    assert queued.status == MessageStatus.SUPPRESSED
    assert not Contact.objects.filter(direction=ContactDirection.INBOUND).exists()
    assert answer(text(client, "ARRÊT")) == ANSWERS["stop"]["es"]  # accents ignored
    # START ends it.
    assert answer(text(client, "start")) == ANSWERS["start"]["es"]
    assert not OptOut.objects.filter(person=victim, ended_at__isnull=True).exists()


def test_start_never_undoes_an_opt_out_staff_recorded(client, alice, victim, with_text):
    opt_out_record(actor=alice, person=victim, channel="sms")
    text(client, "START")
    assert OptOut.objects.filter(person=victim, via="staff", ended_at__isnull=True).exists()


def test_help_names_the_agency_and_how_to_stop(client, cast, with_text):
    said = answer(text(client, "help"))
    assert cast.agency_a.name in said and "STOP" in said
    assert InboundText.objects.get().kind == InboundKind.HELP


def test_the_same_webhook_twice_is_stored_and_answered_once(client, with_text):
    first = text(client, "see you monday", sid="SM" + "7" * 32)
    second = text(client, "see you monday", sid="SM" + "7" * 32)
    assert answer(first) and not answer(second)
    assert InboundText.objects.count() == 1
    assert Contact.objects.filter(direction=ContactDirection.INBOUND).count() == 1


@pytest.mark.parametrize("signature", ["", "forged"])
def test_an_unsigned_or_forged_text_is_refused_and_stored_nowhere(client, with_text, signature):
    headers = {"X-Twilio-Signature": signature} if signature else {}
    params = {"MessageSid": "SM1", "From": VICTIM, "To": A_NUMBER, "Body": "hi"}
    assert client.post(PATH, params, headers=headers).status_code == 403
    assert not InboundText.objects.exists()


def test_an_unassigned_case_tells_the_supervisors(client, cast, sam, with_text):
    case_assign(actor=sam, case=cast.case_a, assignee=None)
    text(client, "anyone there?")
    [alert] = StaffAlert.objects.filter(kind="text_queue")
    assert alert.recipient == cast.supervisor
    assert InboundText.objects.get().case == cast.case_a


def test_each_agency_gets_only_texts_to_its_own_number(client, cast, cora, with_text):
    from haven.core.scoping import agency_scope

    charlie = cast.actor("other_advocate")
    b_victim = cast.case_b.primary_victim
    with agency_scope(cast.agency_b):
        contact_point_add(actor=charlie, person=b_victim, kind=ContactKind.PHONE, value=VICTIM)
        from haven.agencies.roles import Role
        from haven.cases.testing import make_member

        b_coordinator = make_member(cast.agency_b, "bcoord", Role.COORDINATOR)
        notice_settings_update(actor=cast.actor(b_coordinator), sms_sender=B_NUMBER)
    text(client, "for riverside")
    text(client, "for lakeside", to=B_NUMBER)
    a_text = InboundText.objects.get(agency=cast.agency_a)
    b_text = InboundText.objects.get(agency=cast.agency_b)
    assert (a_text.case, b_text.case) == (cast.case_a, cast.case_b)
    assert a_text.body == "for riverside" and b_text.body == "for lakeside"
    # Charlie never reaches A's text.
    client.force_login(cast.other_advocate.user)
    assert "for riverside" not in client.get("/messages/").content.decode()
    assert client.post(f"/messages/texts/{a_text.pk}/handled/").status_code == 404
    a_text.refresh_from_db()
    assert a_text.handled_at is None


def test_a_text_to_a_number_no_agency_owns_is_dropped(client, with_text):
    response = text(client, "hello", to="+13125550111")
    assert response.status_code == 200 and answer(response) == ""
    assert not InboundText.objects.exists()
    assert not Message.objects.exists()
