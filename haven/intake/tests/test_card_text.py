"""The officer's card sent to the victim as a text (issue 14, item 5): only to a phone marked
safe to text, only with the victim's consent recorded (at the scene, or the officer's yes with
the send), in the victim's language, plain text with nothing of the case, through the notices
outbox and its worker to the SMS provider; audited and on the case timeline."""

from datetime import time

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse

from haven.agencies.models import Agency, ServiceHours
from haven.agencies.roles import Role
from haven.audit.models import AuditAction
from haven.cases.models import CaseEvent
from haven.cases.testing import make_member
from haven.intake.card_text import (
    NO_CONSENT,
    NO_SAFE_PHONE,
    card_text_state,
    victim_card_text_send,
)
from haven.intake.tests.test_scene_referral import SECRETS, refer, the_referral
from haven.notices.models import Channel, Message, MessageStatus
from haven.notices.services import send_due
from haven.notices.tests.conftest import twilio  # noqa: F401 (the fake Twilio API)
from haven.oncall.models import Coverage, OnCallSettings

pytestmark = pytest.mark.django_db

SITE = "https://haven.example.org"
# The agency's name is the one name a card text carries: written as is, never escaped.
UNIT = "O'Neil & <Partners> Victim Services"
RECEIPT = "intake:scene_referral_received"
SEND = "intake:scene_referral_card_text"


@pytest.fixture(autouse=True)
def _unit(cast, clock, settings):
    """A Wednesday at 10:00 (inside the referral's safe hours 9 to 5 and outside quiet hours),
    the unit's office hours Monday to Friday, and a real site address."""
    settings.SITE_URL = SITE
    Agency.objects.filter(pk=cast.agency_a.pk).update(name=UNIT, phone="312-555-0100")
    cast.agency_a.refresh_from_db()
    OnCallSettings.objects.create(agency=cast.agency_a, coverage=Coverage.SERVICE_HOURS)
    for day in range(5):
        ServiceHours.objects.create(
            agency=cast.agency_a, weekday=day, opens=time(8, 30), closes=time(17, 0)
        )


def texts(case):
    return list(Message.objects.filter(case=case, template="victim_card"))


def test_the_officer_sends_the_card_and_the_worker_texts_it(
    client_as,
    cast,
    on_call,
    twilio,  # noqa: F811
    new_audit_events,
):
    client = client_as("officer")
    refer(client)  # Spanish, consent yes, the phone OK to text
    page = client.get(reverse(RECEIPT)).content.decode()
    assert "Send as a text" in page and "ending in 0142" in page
    assert 'name="consent_now"' not in page  # consent is recorded: no box to tick

    response = client.post(reverse(SEND))

    assert response.status_code == 302
    case = the_referral()
    [message] = texts(case)
    assert message.channel == Channel.SMS and message.language == "es"
    assert message.status == MessageStatus.QUEUED
    assert message.created_by == cast.officer
    [event] = new_audit_events(action=AuditAction.CARD_TEXT)
    assert event.details["consent"] == "scene" and event.details["messages"] == [message.pk]
    assert new_audit_events(action=AuditAction.NOTICE_QUEUE)
    summaries = [e.data.get("summary", "") for e in CaseEvent.objects.filter(case=case)]
    assert "Text message (the officer's card): queued" in summaries

    assert send_due() == 1

    [sent] = twilio
    assert sent["To"] == "+17735550142"
    body = sent["Body"]
    assert body.startswith(f"{UNIT}: un especialista en atención a víctimas le contactará.")
    assert "(312) 555-0100 (de lunes a viernes: 8:30 – 17:00)" in body
    assert f"Ayuda: {SITE}/help/riverside/es/ " in body
    assert f"Sus derechos: {SITE}/help/riverside/es/#rights " in body
    assert f"{SITE}/n/" in body  # the stop link: opt-outs apply
    for secret in [*SECRETS, case.number]:
        assert secret not in body, secret
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT
    page = client.get(reverse(RECEIPT)).content.decode()
    assert "phone as a text: Sent." in page


def test_without_recorded_consent_it_is_refused_until_the_officer_records_the_yes(
    client_as, cast, on_call, new_audit_events
):
    client = client_as("officer")
    refer(client, consent="not_asked")
    page = client.get(reverse(RECEIPT)).content.decode()
    assert 'name="consent_now"' in page

    response = client.post(reverse(SEND))

    assert response.status_code == 400
    assert "consent to be texted is not recorded" in response.content.decode()
    case = the_referral()
    assert texts(case) == []
    assert not new_audit_events(action=AuditAction.CARD_TEXT)

    response = client.post(reverse(SEND), {"consent_now": "on"})

    assert response.status_code == 302
    [message] = texts(case)
    assert message.status == MessageStatus.QUEUED
    [event] = new_audit_events(action=AuditAction.CARD_TEXT)
    assert event.details["consent"] == "given_with_send"
    summaries = [e.data.get("summary", "") for e in CaseEvent.objects.filter(case=case)]
    assert any("the victim said yes to getting the officer's card by text" in s for s in summaries)


def test_a_no_at_the_scene_is_not_consent_either(client_as, cast, on_call):
    client = client_as("officer")
    refer(client, consent="no")
    case = the_referral()
    with pytest.raises(ValidationError) as refused:
        victim_card_text_send(actor=cast.actor("officer"), case=case)
    assert refused.value.messages == [NO_CONSENT]
    assert texts(case) == []


def test_a_phone_not_marked_safe_to_text_is_refused(client_as, cast, on_call):
    client = client_as("officer")
    refer(client, ok_text="")
    page = client.get(reverse(RECEIPT)).content.decode()
    assert "No phone of the victim is marked safe to text" in page
    assert "Send as a text</button>" not in page

    response = client.post(reverse(SEND), {"consent_now": "on"})

    assert response.status_code == 400
    assert texts(the_referral()) == []
    with pytest.raises(ValidationError) as refused:
        victim_card_text_send(actor=cast.actor("officer"), case=the_referral(), consent_now=True)
    assert refused.value.messages == [NO_SAFE_PHONE]


EXPECTED = {
    "en": ("a victim specialist will contact you", "Monday to Friday: 8:30 AM – 5:00 PM", "en"),
    "es": ("le contactará", "de lunes a viernes: 8:30 – 17:00", "es"),
    "pl": ("skontaktuje się z Tobą", "poniedziałek–piątek: 8:30 – 17:00", "pl"),
    "zh": ("受害人服务专员会与您联系", "星期一至星期五: 8:30 – 17:00", "zh-hans"),
    "ar": ("سيتواصل معك أخصائي دعم الضحايا", "من الاثنين إلى الجمعة: 8:30 – 17:00", "ar"),
}


@pytest.mark.parametrize("language", EXPECTED)
def test_the_text_in_each_language_is_plain_and_carries_only_the_cards_facts(
    client_as, cast, on_call, language
):
    client = client_as("officer")
    refer(client, preferred_language=language)
    case = the_referral()

    [message] = victim_card_text_send(actor=cast.actor("officer"), case=case)

    words, hours, page = EXPECTED[language]
    body = message.body
    assert message.language == language and not message.fell_back
    assert UNIT in body and words in body and hours in body
    assert f"{SITE}/help/riverside/{page}/" in body
    assert f"{SITE}/help/riverside/{page}/#rights" in body
    assert "911" in body
    for entity in ("&amp;", "&lt;", "&gt;", "&#x27;", "&#39;", "&quot;"):
        assert entity not in body
    for secret in [*SECRETS, case.number, "Alice", "Avery"]:
        assert secret not in body, secret
    assert "<" in body and "O'Neil" in body


def test_a_unit_on_call_around_the_clock_says_so(client_as, cast, on_call):
    OnCallSettings.objects.filter(agency=cast.agency_a).update(coverage=Coverage.ALWAYS)
    refer(client_as("officer"), preferred_language="en")

    [message] = victim_card_text_send(actor=cast.actor("officer"), case=the_referral())

    assert "Call us: (312) 555-0100 (24 hours a day, 7 days a week)." in message.body


def test_a_language_without_a_template_goes_in_english_and_says_so(client_as, cast, on_call):
    client = client_as("officer")
    refer(client, preferred_language="vi")
    page = client.get(reverse(RECEIPT)).content.decode()
    assert "Haven has no text in the victim" in page
    assert "language: it goes in English." in page

    client.post(reverse(SEND))

    [message] = texts(the_referral())
    assert message.language == "en" and message.fell_back
    assert "sent in English" in message.status_note
    assert "a victim specialist will contact you" in message.body


def test_sending_twice_sends_one_text(client_as, cast, on_call):
    client = client_as("officer")
    refer(client)
    client.post(reverse(SEND))
    client.post(reverse(SEND))
    assert len(texts(the_referral())) == 1


def test_only_the_referring_officer_or_staff_on_the_case_may_send_it(client_as, cast, on_call):
    refer(client_as("officer"))
    case = the_referral()
    other = make_member(cast.agency_a, "officer2", Role.OFFICER)
    from haven.core.actor import Actor

    with pytest.raises(Http404):
        victim_card_text_send(actor=Actor.for_membership(other), case=case)
    with pytest.raises(Http404):
        card_text_state(actor=cast.actor("other_advocate"), case=case)
    # The specialist who works the case may send it too.
    [message] = victim_card_text_send(actor=cast.actor("advocate"), case=case)
    assert message.created_by == cast.advocate


def test_the_receipts_send_takes_only_the_sessions_referral(client_as, cast, on_call):
    client = client_as("officer")
    response = client.post(reverse(SEND))
    assert response.status_code == 302 and response.url == reverse("intake:scene_referral")
    assert not Message.objects.filter(template="victim_card").exists()
