"""The specialist's side: offered only on request, to a victim the case serves, by someone who
works the case in its own agency; the link goes only to a safe channel; revoking and a new
link stop the old one; each change is audited and on the case timeline."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from haven.audit.models import AuditAction
from haven.cases.models import CaseEvent, CaseEventKind
from haven.notices.models import Message
from haven.portal.access import page_of_token
from haven.portal.models import StatusPage
from haven.portal.services import page_new_link, page_offer, page_revoke
from haven.portal.tests.conftest import link_token


def test_no_case_has_a_page_until_the_specialist_offers_it(cast):
    assert not StatusPage.objects.exists()


def test_offering_sends_the_link_by_text_to_the_safe_phone(cast, offer, new_audit_events):
    offered = offer()
    message = Message.objects.get(template="portal_link")
    assert offered.sent_by == ["text message"]
    assert message.channel == "sms" and "/my/" in message.body
    assert "link" not in message.facts
    assert page_of_token(link_token(offered.page)) == offered.page
    assert [e.action for e in new_audit_events(action=AuditAction.PORTAL_OFFER)] == ["portal.offer"]
    event = CaseEvent.objects.filter(case=cast.case_a, kind=CaseEventKind.PORTAL).get()
    assert "offered" in event.data["summary"]


def test_with_no_safe_channel_the_link_is_shown_once_to_the_specialist(cast, alice, victim):
    offered = page_offer(actor=alice, case=cast.case_a, person=victim)
    assert offered.sent_by == []
    assert "/my/" in offered.url


def test_only_a_victim_the_case_serves(cast, alice, witness, sister, safe_phone):
    with pytest.raises(PermissionDenied):
        page_offer(actor=alice, case=cast.case_a, person=witness)
    assert page_offer(actor=alice, case=cast.case_a, person=sister).page.person == sister


def test_roles_and_agencies_are_refused(cast, offer, victim):
    analyst = cast.actor("analyst")
    with pytest.raises(PermissionDenied):
        page_offer(actor=analyst, case=cast.case_a, person=victim)
    with pytest.raises(PermissionDenied):
        page_offer(actor=cast.actor("other_advocate"), case=cast.case_a, person=victim)


def test_one_live_page_per_person(offer):
    offer()
    with pytest.raises(ValidationError):
        offer()


def test_a_new_link_replaces_the_old(alice, offer):
    page = offer().page
    old = link_token(page)
    page_new_link(actor=alice, page=page)
    assert page_of_token(old) is None


def test_revoking_ends_the_page(alice, offer, new_audit_events):
    page = offer().page
    page_revoke(actor=alice, page=page)
    page.refresh_from_db()
    assert not page.is_live()
    assert new_audit_events(action=AuditAction.PORTAL_REVOKE)
    with pytest.raises(ValidationError):
        page_new_link(actor=alice, page=page)


def test_the_case_page_section_offers_and_revokes(client_as, cast, victim, safe_phone):
    client = client_as("advocate")
    detail = client.get(reverse("cases:panel", args=[cast.case_a.pk, "portal"]))
    assert b"Offer the status page" in detail.content
    answer = client.post(
        reverse("portal:offer", args=[cast.case_a.pk]),
        {"person": victim.pk, "days": 30, "show_court": "on"},
    )
    assert answer.status_code == 302
    page = StatusPage.objects.get()
    assert page.show_court and not page.show_compensation
    assert (page.expires_at - page.created_at).days == 30
    detail = client.get(reverse("cases:panel", args=[cast.case_a.pk, "portal"]))
    assert b"Live until" in detail.content
    detail = client.get(reverse("cases:detail", args=[cast.case_a.pk]))  # the timeline
    assert b"status page offered" in detail.content
    client.post(reverse("portal:revoke", args=[page.pk]))
    page.refresh_from_db()
    assert page.revoked_at is not None


def test_another_agency_gets_404_on_a_page(client_as, offer):
    page = offer().page
    answer = client_as("other_advocate").post(reverse("portal:revoke", args=[page.pk]))
    assert answer.status_code == 404
    page.refresh_from_db()
    assert page.revoked_at is None


def test_a_role_that_cannot_work_cases_is_refused(client_as, offer):
    page = offer().page
    answer = client_as("analyst").post(reverse("portal:revoke", args=[page.pk]))
    assert answer.status_code == 403


def test_the_specialist_is_told_when_the_page_is_in_english_for_lack_of_words(
    client_as, cast, sam, victim, offer
):
    from haven.people.services import person_update

    offer()
    person_update(actor=sam, person=victim, preferred_language="ko")
    detail = client_as("advocate").get(reverse("cases:panel", args=[cast.case_a.pk, "portal"]))
    assert b"The status page has no words in Korean" in detail.content
