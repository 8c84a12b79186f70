"""The staff pages of partner referrals: the case section, finding a service and referring,
the referral's page and its actions, the consent refusal, the waiting list, and who is
refused."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from haven.partners.services import mou_save
from haven.referrals.models import Referral, ReferralLink
from haven.referrals.services import referral_answer_record


def test_the_case_page_lists_the_referrals(client_as, cast, sent):
    referral, _ = sent
    referral_answer_record(
        actor=cast.actor("advocate"), referral=referral, status="declined", note="No beds."
    )
    body = client_as("advocate").get(f"/cases/{cast.case_a.pk}/panels/referrals/").content.decode()
    assert 'id="referrals"' in body and "Harbor House" in body and "Declined" in body
    assert "No beds." in body and "Refer to a partner" in body


def test_searching_shows_services_and_warns_without_an_mou(client_as, cast, shelter, cora):
    client = client_as("advocate")
    response = client.get(f"/cases/{cast.case_a.pk}/referrals/new/", {"need": "shelter"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Harbor House" in body and "No MOU in force" in body
    mou_save(
        actor=cora,
        organization=shelter.organization,
        title="Shelter MOU",
        starts_on=date.today() - timedelta(days=30),
        ends_on=date.today() + timedelta(days=300),
    )
    body = client.get(f"/cases/{cast.case_a.pk}/referrals/new/", {"need": "shelter"}).content
    assert b"Harbor House" in body and b"No MOU in force" not in body
    body = client.get(f"/cases/{cast.case_a.pk}/referrals/new/", {"need": "legal_aid"}).content
    assert b"Harbor House" not in body


def test_referring_from_the_form(client_as, cast, shelter, release, new_audit_events):
    client = client_as("advocate")
    page = client.get(f"/cases/{cast.case_a.pk}/referrals/new/{shelter.pk}/?need=shelter")
    assert page.status_code == 200 and 'id="no-mou"' in page.content.decode()
    response = client.post(
        f"/cases/{cast.case_a.pk}/referrals/new/{shelter.pk}/",
        {
            "person": cast.victim_a.pk,
            "need": "shelter",
            "urgency": "soon",
            "categories": ["identity", "contact"],
            "message": "Two children.",
        },
    )
    referral = Referral.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/referrals/{referral.pk}/"
    assert referral.status == "proposed" and referral.categories == ["contact", "identity"]
    assert referral.created_by == cast.advocate and referral.message == "Two children."
    assert new_audit_events(action="partner_referral.propose")
    detail = client.get(response["Location"]).content.decode()
    assert "No release of information covers this referral yet" in detail
    assert "Record a release" in detail and "Send to the partner" in detail
    # A release recorded since: the page says it is ready to send.
    release()
    detail = client.get(response["Location"]).content.decode()
    assert 'id="covered"' in detail and "ready to send" in detail


def test_a_form_error_is_shown(client_as, cast, shelter):
    response = client_as("advocate").post(
        f"/cases/{cast.case_a.pk}/referrals/new/{shelter.pk}/",
        {"person": cast.victim_a.pk, "need": "shelter", "urgency": "soon"},
    )
    assert response.status_code == 200 and not Referral.objects.exists()


def test_sending_without_consent_shows_why_and_where_to_record_one(
    client_as, cast, proposal, smtp_inbox
):
    referral = proposal()
    response = client_as("advocate").post(f"/referrals/{referral.pk}/send/")
    body = response.content.decode()
    assert response.status_code == 409
    assert "No release of information from Dana Reyes covers Harbor House" in body
    assert "Record a release of information" in body
    assert f"/cases/{cast.case_a.pk}/releases/new/{cast.victim_a.pk}/" in body
    referral.refresh_from_db()
    assert referral.status == "proposed" and smtp_inbox.messages == []


def test_sending_with_consent(
    client_as, cast, proposal, release, smtp_inbox, django_capture_on_commit_callbacks
):
    release()
    referral = proposal()
    with django_capture_on_commit_callbacks(execute=True):
        response = client_as("advocate").post(f"/referrals/{referral.pk}/send/")
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == "sent"
    [(_, mail)] = smtp_inbox.messages
    assert "http://testserver/partner/riverside/referrals/" in mail.get_payload()


def test_recording_an_answer_and_withdrawing_from_the_page(client_as, cast, sent):
    referral, _ = sent
    client = client_as("advocate")
    detail = client.get(f"/referrals/{referral.pk}/").content.decode()
    assert "Record the partner's answer" in detail and "Revoke the link" in detail
    client.post(f"/referrals/{referral.pk}/answer/", {"status": "accepted", "note": "Called."})
    referral.refresh_from_db()
    assert referral.status == "accepted" and referral.answer == "Called."
    response = client.post(f"/referrals/{referral.pk}/answer/", {"status": "completed"})
    referral.refresh_from_db()
    assert response.status_code == 302 and referral.status == "accepted"
    client.post(f"/referrals/{referral.pk}/withdraw/", {"reason": "Moved out of state."})
    referral.refresh_from_db()
    assert referral.status == "withdrawn"
    history = client.get(f"/referrals/{referral.pk}/").content.decode()
    assert "Moved out of state." in history and "Alice Avery" in history


def test_resending_and_revoking_from_the_page(
    client_as, sent, smtp_inbox, django_capture_on_commit_callbacks
):
    referral, _ = sent
    client = client_as("advocate")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/referrals/{referral.pk}/link/")
    assert len(smtp_inbox.messages) == 2
    assert ReferralLink.objects.filter(referral=referral, revoked_at__isnull=True).count() == 1
    client.post(f"/referrals/{referral.pk}/link/revoke/")
    assert not ReferralLink.objects.filter(referral=referral, revoked_at__isnull=True).exists()


@pytest.mark.parametrize("role", ["officer", "analyst", "auditor"])
def test_roles_without_case_work_are_refused(client_as, cast, sent, shelter, role):
    referral, _ = sent
    client = client_as(role)
    assert client.get(f"/cases/{cast.case_a.pk}/referrals/new/").status_code == 403
    assert client.get(f"/referrals/{referral.pk}/").status_code in (403, 404)
    assert client.post(f"/referrals/{referral.pk}/withdraw/", {"reason": "x"}).status_code == 403
    referral.refresh_from_db()
    assert referral.status == "sent"


def test_another_agency_gets_404(client_as, cast, sent, shelter):
    referral, _ = sent
    client = client_as("other_advocate")
    assert client.get(f"/referrals/{referral.pk}/").status_code == 404
    assert (
        client.post(f"/referrals/{referral.pk}/answer/", {"status": "accepted"}).status_code == 404
    )
    assert client.get(f"/cases/{cast.case_a.pk}/referrals/new/{shelter.pk}/").status_code == 404
    referral.refresh_from_db()
    assert referral.status == "sent"


def test_the_waiting_list(client_as, cast, sent, new_audit_events):
    referral, _ = sent
    Referral.objects.filter(pk=referral.pk).update(sent_at=timezone.now() - timedelta(days=6))
    body = client_as("advocate").get("/referrals/").content.decode()
    assert "Harbor House" in body and cast.case_a.number in body
    assert new_audit_events(action="partner_referral.list")[-1].details["shown"] == [referral.pk]
    assert b"Harbor House" not in client_as("advocate").get("/referrals/?days=7").content
    # Another advocate sees only their own; the supervisor sees everyone's.
    assert b"Harbor House" not in client_as("advocate2").get("/referrals/").content
    assert b"Harbor House" in client_as("supervisor").get("/referrals/").content
    # Answered: no longer waiting.
    referral_answer_record(actor=cast.actor("advocate"), referral=referral, status="accepted")
    assert b"Harbor House" not in client_as("advocate").get("/referrals/").content
    assert client_as("analyst").get("/referrals/").status_code == 403
