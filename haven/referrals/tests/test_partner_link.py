"""The partner's page behind their link, and every way it must not leak: no release, an
expired one, one revoked after the link was sent, one for another organization or purpose, one
missing a category, an expired or replaced link, a guessed token, another agency's token."""

from datetime import timedelta

import pytest
from django.utils import timezone

from haven.cases.models import NoteVisibility
from haven.cases.services import note_add
from haven.consent.services import release_revoke
from haven.lib.tokens import token_digest
from haven.referrals.models import (
    Referral,
    ReferralEvent,
    ReferralLink,
    ReferralStatus,
    Via,
)
from haven.referrals.services import referral_link_resend, referral_withdraw
from haven.referrals.tests.helpers import B_TOKEN, other_agency_referral

SECRETS = ["Dana", "Reyes", "555-0142", "5550142", "bed for herself"]


def url(token, slug="riverside"):
    return f"/partner/{slug}/referrals/{token}/"


def shows_nothing_identifying(body: str):
    for secret in SECRETS:
        assert secret not in body, secret


def sent_without_gate(cast, service, categories=("identity", "contact")):
    """A sent referral and its live link made directly, with no release checked: what the page
    must do when consent is missing, whatever happened before."""
    now = timezone.now()
    referral = Referral.objects.create(
        agency=cast.agency_a,
        case=cast.case_a,
        person=cast.victim_a,
        service=service,
        organization=service.organization,
        need="shelter",
        categories=list(categories),
        message="Needs a bed for herself tonight.",
        status=ReferralStatus.SENT,
        sent_at=now,
    )
    token = "t" * 43
    ReferralLink.objects.create(
        agency=cast.agency_a,
        referral=referral,
        digest=token_digest(token),
        expires_at=now + timedelta(days=14),
    )
    return referral, token


def test_the_partner_sees_what_the_release_covers(client, sent, new_audit_events):
    referral, token = sent
    response = client.get(url(token), REMOTE_ADDR="203.0.113.9")
    body = response.content.decode()
    assert response.status_code == 200
    assert "Dana Reyes" in body and "(312) 555-0142" in body
    assert "Emergency shelter" in body and "Needs a bed for herself" in body
    assert "Voicemail: OK" in body
    assert response["Referrer-Policy"] == "same-origin"
    assert "no-cache" in response["Cache-Control"]
    [view] = new_audit_events(action="partner_referral.view")
    assert view.actor_label == "partner via link" and view.ip == "203.0.113.9"
    assert view.details["consent"] is True
    assert view.details["shown"] == ["contact", "identity", "service_needs"]
    assert ReferralLink.objects.get(referral=referral).last_used_at is not None


def test_the_page_shows_only_the_categories_chosen(
    client, cast, alice, proposal, release, smtp_inbox, django_capture_on_commit_callbacks
):
    from haven.referrals.services import referral_send

    release()  # covers everything
    note_add(actor=alice, case=cast.case_a, body="Has a dog.", visibility=NoteVisibility.SHAREABLE)
    referral = proposal(categories=["identity"])
    with django_capture_on_commit_callbacks(execute=True):
        _, token = referral_send(actor=alice, referral=referral)
    body = client.get(url(token)).content.decode()
    assert "Dana Reyes" in body
    for hidden in ("555-0142", "Needs a bed", "Has a dog", "Domestic", "after 5pm"):
        assert hidden not in body, hidden


def test_shareable_notes_show_when_notes_are_covered_but_privileged_ones_never(
    client, cast, alice, proposal, release, smtp_inbox, django_capture_on_commit_callbacks
):
    from haven.referrals.services import referral_send

    release()
    note_add(actor=alice, case=cast.case_a, body="Has a dog.", visibility=NoteVisibility.SHAREABLE)
    referral = proposal(categories=["identity", "notes", "case_facts"])
    with django_capture_on_commit_callbacks(execute=True):
        _, token = referral_send(actor=alice, referral=referral)
    body = client.get(url(token)).content.decode()
    assert "Has a dog." in body and "Domestic" in body
    assert "after 5pm" not in body  # the cast's privileged note


def test_a_release_revoked_after_the_link_was_sent_hides_everything(
    client, sent, alice, new_audit_events
):
    referral, token = sent
    release_revoke(
        actor=alice, release=referral.release, method="verbal", reason="Does not want to go."
    )
    response = client.get(url(token))
    body = response.content.decode()
    assert response.status_code == 200
    assert "no longer in force" in body
    shows_nothing_identifying(body)
    [refusal] = new_audit_events(action="consent.refused")
    assert refusal.actor_label == "partner via link"
    assert refusal.details["channel"] == "partner_link"
    [view] = new_audit_events(action="partner_referral.view")
    assert view.details["consent"] is False and view.details["shown"] == []


def test_a_release_expired_since_hides_everything(client, sent, new_audit_events):
    referral, token = sent
    referral.release.expires_at = timezone.now() - timedelta(minutes=1)
    referral.release.save(update_fields=["expires_at"])
    body = client.get(url(token)).content.decode()
    assert "no longer in force" in body
    shows_nothing_identifying(body)
    assert new_audit_events(action="consent.refused")


@pytest.mark.parametrize(
    "release_kind",
    ["none", "other_organization", "other_purpose", "missing_category"],
)
def test_a_release_that_does_not_cover_the_referral_shows_nothing(
    client, cast, shelter, legal_aid, release, new_audit_events, release_kind
):
    if release_kind == "other_organization":
        release(recipient_organization=legal_aid.organization)
    elif release_kind == "other_purpose":
        release(purposes=["legal_advocacy"])
    elif release_kind == "missing_category":
        release(categories=["identity"])  # the referral also shares contact
    referral, token = sent_without_gate(cast, shelter)
    body = client.get(url(token)).content.decode()
    assert "no longer in force" in body
    shows_nothing_identifying(body)
    assert new_audit_events(action="consent.refused")


def test_an_answer_is_refused_once_consent_is_gone(client, sent):
    referral, token = sent
    referral.release.revoked_at = timezone.now()
    referral.release.save(update_fields=["revoked_at"])
    response = client.post(url(token), {"status": "accepted", "note": "ok"})
    shows_nothing_identifying(response.content.decode())
    referral.refresh_from_db()
    assert referral.status == "sent"


def test_the_partner_accepts_then_reports_the_service(client, sent, new_audit_events):
    referral, token = sent
    response = client.post(
        url(token), {"status": "accepted", "note": "Bed 4 tonight."}, REMOTE_ADDR="203.0.113.9"
    )
    assert response.status_code == 302 and response["Location"].endswith("?lang=en&answered=1")
    referral.refresh_from_db()
    assert referral.status == "accepted" and referral.answered_at is not None
    assert referral.answer == "Bed 4 tonight." and referral.answered_by == "partner via link"
    event = ReferralEvent.objects.filter(referral=referral).last()
    assert event.via == Via.PARTNER_LINK and event.actor is None
    [audit] = new_audit_events(action="partner_referral.answer")
    assert audit.actor_label == "partner via link" and audit.ip == "203.0.113.9"
    assert audit.details["via"] == "partner_link" and audit.details["to"] == "accepted"
    client.post(url(token), {"status": "service_started"})
    client.post(url(token), {"status": "completed", "note": "Moved to transitional housing."})
    referral.refresh_from_db()
    assert referral.status == "completed"
    # Ended: the link is off, and says nothing.
    response = client.get(url(token))
    assert response.status_code == 404
    shows_nothing_identifying(response.content.decode())


def test_the_partner_must_say_why_they_decline(client, sent):
    referral, token = sent
    response = client.post(url(token), {"status": "declined", "note": ""})
    assert response.status_code == 200
    assert "Say why you decline." in response.content.decode()
    referral.refresh_from_db()
    assert referral.status == "sent"


def test_the_partner_cannot_skip_a_step(client, sent):
    referral, token = sent
    response = client.post(url(token), {"status": "completed"})
    assert response.status_code == 200
    referral.refresh_from_db()
    assert referral.status == "sent"


def test_an_expired_link_shows_nothing(client, sent, new_audit_events):
    referral, token = sent
    ReferralLink.objects.filter(referral=referral).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    response = client.get(url(token))
    assert response.status_code == 404
    assert "does not work" in response.content.decode()
    shows_nothing_identifying(response.content.decode())
    [refused] = new_audit_events(action="partner_referral.refused")
    assert refused.details["why"] == "expired" and refused.actor_label == "partner via link"


def test_a_replaced_link_stops_working(client, sent, alice, smtp_inbox):
    referral, old = sent
    _, new = referral_link_resend(actor=alice, referral=referral)
    assert client.get(url(old)).status_code == 404
    assert client.get(url(new)).status_code == 200


def test_a_withdrawn_referral_closes_the_link(client, sent, alice):
    referral, token = sent
    referral_withdraw(actor=alice, referral=referral, reason="She found a place.")
    response = client.get(url(token))
    assert response.status_code == 404
    shows_nothing_identifying(response.content.decode())


@pytest.mark.parametrize("token", ["guess", "A" * 43, "", "../../admin"])
def test_a_guessed_token_finds_nothing(client, sent, new_audit_events, token):
    response = client.get(url(token) if token else "/partner/riverside/referrals/x/")
    assert response.status_code == 404
    shows_nothing_identifying(response.content.decode())
    assert all(
        e.details["why"] == "unknown" for e in new_audit_events(action="partner_referral.refused")
    )


def test_another_agencys_token_works_only_at_its_own_address(client, cast, sent):
    other_agency_referral(cast)
    response = client.get(url(B_TOKEN, slug="riverside"))
    assert response.status_code == 404
    assert "Erin" not in response.content.decode()
    # And A's token under B's address finds nothing either.
    _, token = sent
    response = client.get(url(token, slug="lakeside"))
    assert response.status_code == 404
    shows_nothing_identifying(response.content.decode())
    assert client.get(url(token, slug="no-such-agency")).status_code == 404


def test_tokens_are_long_and_random(sent):
    _, token = sent
    assert len(token) >= 43


def test_the_person_is_told_when_the_partner_accepts(
    client, sent, django_capture_on_commit_callbacks
):
    from haven.notices.models import Message

    referral, token = sent
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url(token), {"status": "accepted"})
    messages = list(Message.objects.filter(dedupe_key=f"referral:{referral.pk}:accepted"))
    assert messages and {m.template for m in messages} == {"referral_update"}
    assert all(m.person_id == referral.person_id for m in messages)
    # A repeated answer never tells twice (the key is the referral's).
    assert Message.objects.filter(source=f"referrals.referral:{referral.pk}").count() == len(
        messages
    )


def test_an_address_that_keeps_guessing_is_stopped(client, sent, settings):
    from haven.referrals.partner import GUESS_LIMIT

    _, token = sent
    for n in range(GUESS_LIMIT):
        assert client.get(url(f"guess{n}"), REMOTE_ADDR="198.51.100.7").status_code == 404
    # Even the right token, from that address, waits out the window; other addresses do not.
    busy = client.get(url(token), REMOTE_ADDR="198.51.100.7")
    assert busy.status_code == 429 and "Too many tries" in busy.content.decode()
    shows_nothing_identifying(busy.content.decode())
    assert client.get(url(token), REMOTE_ADDR="198.51.100.8").status_code == 200
