"""The officer's card sent as a text from the case page, by the specialist: the box shows only
when the victim has a phone marked OK to text; the send goes through the same service (consent,
safe phone, audit) and the page then shows its status."""

import pytest
from django.urls import reverse

from haven.audit.models import AuditAction
from haven.intake.tests.test_card_text import _unit, texts  # noqa: F401 (the unit's setup)
from haven.intake.tests.test_scene_referral import refer, the_referral
from haven.notices.models import Channel, MessageStatus
from haven.people.models import ContactKind
from haven.people.services import contact_point_add

pytestmark = pytest.mark.django_db


def page_of(client, case) -> str:
    return client.get(reverse("cases:detail", args=[case.pk])).content.decode()


def send_url(case) -> str:
    return reverse("intake:case_card_text", args=[case.pk])


def test_no_box_without_a_phone_marked_safe_to_text(client_as, cast):
    assert 'id="card-text"' not in page_of(client_as("advocate"), cast.case_a)


def test_the_specialist_records_the_yes_and_sends_the_card(client_as, cast, new_audit_events):
    victim = cast.case_a.primary_victim
    contact_point_add(
        actor=cast.actor("advocate"),
        person=victim,
        kind=ContactKind.PHONE,
        value="+13125550177",
        ok_text=True,
    )
    client = client_as("advocate")
    page = page_of(client, cast.case_a)
    assert 'id="card-text"' in page and "ending in 0177" in page
    assert 'name="consent_now"' in page  # not from a scene referral: no recorded yes

    refused = client.post(send_url(cast.case_a), follow=True)
    assert "consent to be texted is not recorded" in refused.content.decode()
    assert texts(cast.case_a) == []
    assert not new_audit_events(action=AuditAction.CARD_TEXT)

    response = client.post(send_url(cast.case_a), {"consent_now": "on"})
    assert response.status_code == 302 and response["Location"].endswith("#card-text")
    [message] = texts(cast.case_a)
    assert message.channel == Channel.SMS and message.status == MessageStatus.QUEUED
    [event] = new_audit_events(action=AuditAction.CARD_TEXT)
    assert event.details["consent"] == "given_with_send"
    page = page_of(client, cast.case_a)
    assert "Texted to the victim on" in page and "Now: Queued." in page
    assert f'action="{send_url(cast.case_a)}"' not in page  # once per case


def test_the_yes_given_at_the_scene_is_the_consent_on_the_case_page_too(client_as, cast, on_call):
    refer(client_as("officer"))  # consent yes, the phone OK to text
    case = the_referral()
    client = client_as("supervisor")
    page = page_of(client, case)
    assert "The victim agreed to be contacted" in page and 'name="consent_now"' not in page
    client.post(send_url(case))
    [message] = texts(case)
    assert message.language == "es"


def test_the_officer_cannot_send_from_a_case_page(client_as, cast):
    response = client_as("officer").post(send_url(cast.case_a), {"consent_now": "on"})
    assert response.status_code in (403, 404)
    assert texts(cast.case_a) == []
