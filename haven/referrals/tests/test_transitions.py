"""The referral's life: proposed → consented → sent → accepted | declined → service started →
completed | no-show, withdrawn, expired; each step stamped, guarded, on the timeline and in
the access log."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from haven.cases.models import CaseEvent, CaseEventKind
from haven.consent.gate import ConsentRefused
from haven.referrals.models import Referral, ReferralEvent, ReferralLink, ReferralStatus, Via
from haven.referrals.services import (
    ANSWER_DAYS,
    referral_answer_record,
    referral_link_resend,
    referral_link_revoke,
    referral_propose,
    referral_send,
    referral_withdraw,
    referrals_expire,
)


def statuses(referral):
    return list(
        ReferralEvent.objects.filter(referral=referral)
        .order_by("id")
        .values_list("to_status", flat=True)
    )


def test_a_referral_without_a_release_is_proposed(proposal, new_audit_events):
    referral = proposal()
    assert referral.status == ReferralStatus.PROPOSED
    assert referral.organization.name == "Harbor House"
    assert referral.consented_at is None and referral.sent_at is None
    assert statuses(referral) == ["proposed"]
    [audit] = new_audit_events(action="partner_referral.propose")
    assert audit.details["status"] == "proposed" and audit.actor_label == "alice"
    assert "Needs a bed" not in str(audit.details)


def test_a_referral_a_release_covers_is_consented_at_once(proposal, release, cast):
    release()
    referral = proposal()
    assert referral.status == ReferralStatus.CONSENTED and referral.consented_at is not None
    assert statuses(referral) == ["proposed", "consented"]
    line = CaseEvent.objects.filter(case=cast.case_a, kind=CaseEventKind.PARTNER_REFERRAL).first()
    assert line.data["summary"] == "Partner referral to Harbor House: consented"


def test_sending_needs_a_release_and_leaves_the_referral_unsent(
    proposal, alice, new_audit_events, smtp_inbox, django_capture_on_commit_callbacks
):
    referral = proposal()
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(ConsentRefused) as refused,
    ):
        referral_send(actor=alice, referral=referral)
    assert "No release of information" in refused.value.reason
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.PROPOSED and referral.sent_at is None
    assert not ReferralLink.objects.filter(referral=referral).exists()
    assert smtp_inbox.messages == []
    [refusal] = new_audit_events(action="consent.refused")
    assert refusal.details["channel"] == "referral"
    assert not new_audit_events(action="partner_referral.send")


def test_sending_mails_the_partner_a_link_without_the_persons_name(sent, smtp_inbox, cast):
    referral, token = sent
    assert referral.status == ReferralStatus.SENT and referral.sent_at is not None
    assert referral.release is not None
    assert statuses(referral) == ["proposed", "consented", "sent"]
    [(to, mail)] = smtp_inbox.messages
    assert to == ["shelter@harbor.example"]
    body = mail.get_payload()
    assert "new referral from Riverside Police Department Victim Services" in body
    assert f"/partner/riverside/referrals/{token}/" in body
    for secret in ("Dana", "Reyes", "555-0142", "bed", "domestic", cast.case_a.number):
        assert secret not in body and secret not in mail["Subject"]
    link = ReferralLink.objects.get(referral=referral)
    assert link.digest != token and token not in link.digest
    assert link.expires_at - link.created_at == timedelta(days=14)


def test_the_organizations_address_is_used_when_the_service_has_none(
    cast, alice, cora, release, legal_aid, smtp_inbox, django_capture_on_commit_callbacks
):
    release(recipient_organization=legal_aid.organization)
    referral = referral_propose(
        actor=alice, case=cast.case_a, service=legal_aid, need="legal_aid", categories=["identity"]
    )
    with django_capture_on_commit_callbacks(execute=True):
        referral_send(actor=alice, referral=referral)
    assert smtp_inbox.messages[0][0] == ["help@legalaid.example"]


def test_a_sent_referral_cannot_be_sent_again(sent, alice):
    referral, _ = sent
    with pytest.raises(ValidationError, match="already sent"):
        referral_send(actor=alice, referral=referral)


def test_the_specialist_records_the_whole_loop(sent, alice, new_audit_events):
    referral, _ = sent
    referral_answer_record(actor=alice, referral=referral, status="accepted", note="Bed 4.")
    referral_answer_record(actor=alice, referral=referral, status="service_started")
    referral = referral_answer_record(actor=alice, referral=referral, status="completed")
    assert referral.status == ReferralStatus.COMPLETED
    assert referral.answered_at and referral.started_at and referral.closed_at
    assert referral.answer == "Bed 4." and referral.answered_by == "Alice Avery"
    assert statuses(referral)[-3:] == ["accepted", "service_started", "completed"]
    last = ReferralEvent.objects.filter(referral=referral).last()
    assert last.via == Via.STAFF and last.actor_label == "Alice Avery"
    moves = [
        (a.details["from"], a.details["to"])
        for a in new_audit_events(action="partner_referral.answer")
    ]
    assert moves == [
        ("sent", "accepted"),
        ("accepted", "service_started"),
        ("service_started", "completed"),
    ]
    # Ended: the partner's link is off.
    assert not ReferralLink.objects.filter(referral=referral, revoked_at__isnull=True).exists()


def test_a_decline_needs_a_reason(sent, alice):
    referral, _ = sent
    with pytest.raises(ValidationError, match="why the partner declined"):
        referral_answer_record(actor=alice, referral=referral, status="declined")
    referral = referral_answer_record(
        actor=alice, referral=referral, status="declined", note="No beds until Monday."
    )
    assert referral.status == "declined" and referral.closed_at is not None
    assert referral.answer == "No beds until Monday."


@pytest.mark.parametrize(
    "path,wrong",
    [
        ([], "service_started"),
        ([], "completed"),
        (["accepted"], "completed"),
        (["accepted"], "declined"),
        (["accepted", "service_started"], "no_show"),
    ],
)
def test_a_step_that_does_not_follow_is_refused(sent, alice, path, wrong):
    referral, _ = sent
    for step in path:
        referral_answer_record(actor=alice, referral=referral, status=step)
    with pytest.raises(ValidationError, match="it can now be marked"):
        referral_answer_record(actor=alice, referral=referral, status=wrong)
    referral.refresh_from_db()
    assert referral.status == (path[-1] if path else "sent")


def test_no_show_ends_an_accepted_referral(sent, alice):
    referral, _ = sent
    referral_answer_record(actor=alice, referral=referral, status="accepted")
    referral = referral_answer_record(actor=alice, referral=referral, status="no_show")
    assert referral.status == "no_show" and referral.closed_at is not None


def test_an_unsent_referral_takes_no_answer(proposal, alice):
    referral = proposal()
    with pytest.raises(ValidationError, match="not been sent"):
        referral_answer_record(actor=alice, referral=referral, status="accepted")


def test_withdrawing_needs_a_reason_and_turns_the_link_off(sent, alice, new_audit_events):
    referral, _ = sent
    with pytest.raises(ValidationError):
        referral_withdraw(actor=alice, referral=referral, reason=" ")
    referral = referral_withdraw(
        actor=alice, referral=referral, reason="Found a place with family."
    )
    assert referral.status == "withdrawn" and referral.closed_at is not None
    assert not ReferralLink.objects.filter(referral=referral, revoked_at__isnull=True).exists()
    [audit] = new_audit_events(action="partner_referral.withdraw")
    assert audit.details == {"case": referral.case_id, "from": "sent", "revoked": 1}
    with pytest.raises(ValidationError, match="ended"):
        referral_withdraw(actor=alice, referral=referral, reason="again")
    with pytest.raises(ValidationError, match="ended"):
        referral_answer_record(actor=alice, referral=referral, status="accepted")


def test_a_proposed_referral_can_be_withdrawn(proposal, alice):
    referral = referral_withdraw(actor=alice, referral=proposal(), reason="Changed her mind.")
    assert referral.status == "withdrawn"


def test_resending_replaces_the_link(
    sent, alice, smtp_inbox, new_audit_events, django_capture_on_commit_callbacks
):
    referral, old_token = sent
    with django_capture_on_commit_callbacks(execute=True):
        link, token = referral_link_resend(actor=alice, referral=referral)
    assert token != old_token and link.is_live()
    links = ReferralLink.objects.filter(referral=referral)
    assert links.count() == 2 and links.filter(revoked_at__isnull=True).get() == link
    assert len(smtp_inbox.messages) == 2 and token in smtp_inbox.messages[1][1].get_payload()
    assert new_audit_events(action="partner_referral.link")[0].details["revoked"] == 1


def test_revoking_the_link(sent, alice, new_audit_events):
    referral, _ = sent
    assert referral_link_revoke(actor=alice, referral=referral) == 1
    assert not ReferralLink.objects.filter(referral=referral, revoked_at__isnull=True).exists()
    assert new_audit_events(action="partner_referral.unlink")
    with pytest.raises(ValidationError, match="no link"):
        referral_link_revoke(actor=alice, referral=referral)
    referral.refresh_from_db()
    assert referral.status == "sent"  # the referral goes on; answers can still be recorded


def test_an_unanswered_referral_expires(sent, cast, new_audit_events):
    referral, _ = sent
    assert referrals_expire(agency=cast.agency_a) == 0
    later = timezone.now() + timedelta(days=ANSWER_DAYS, hours=1)
    assert referrals_expire(agency=cast.agency_a, now=later) == 1
    referral.refresh_from_db()
    assert referral.status == "expired" and referral.closed_at == later
    assert statuses(referral)[-1] == "expired"
    assert ReferralEvent.objects.filter(referral=referral).last().via == Via.SYSTEM
    assert not ReferralLink.objects.filter(referral=referral, revoked_at__isnull=True).exists()
    assert new_audit_events(action="partner_referral.expire")[0].actor_label == "referrals.expire"
    assert referrals_expire(agency=cast.agency_a, now=later) == 0  # claimed once


def test_an_answered_referral_does_not_expire(sent, cast, alice):
    referral, _ = sent
    referral_answer_record(actor=alice, referral=referral, status="accepted")
    later = timezone.now() + timedelta(days=ANSWER_DAYS * 3)
    assert referrals_expire(agency=cast.agency_a, now=later) == 0


def test_proposing_is_refused_for_roles_and_bad_input(cast, proposal, shelter, release):
    for role in ("officer", "analyst", "auditor"):
        with pytest.raises(PermissionDenied):
            referral_propose(
                actor=cast.actor(role),
                case=cast.case_a,
                service=shelter,
                need="shelter",
                categories=["identity"],
            )
    with pytest.raises(PermissionDenied):
        referral_propose(
            actor=cast.actor("other_advocate"),
            case=cast.case_a,
            service=shelter,
            need="shelter",
            categories=["identity"],
        )
    with pytest.raises(ValidationError) as bad:
        proposal(need="spaceship", categories=[], urgency="whenever")
    assert set(bad.value.message_dict) == {"need", "categories", "urgency"}
    with pytest.raises(ValidationError, match="Safety plans"):
        proposal(categories=["identity", "safety_plan"])
    assert not Referral.objects.exists()


def test_a_person_not_served_on_the_case_cannot_be_referred(cast, proposal, alice):
    from haven.people.services import person_create

    stranger = person_create(actor=alice, first_name="Sol", last_name="Stranger")
    with pytest.raises(ValidationError, match="served on this case"):
        proposal(person=stranger)


def test_a_family_members_referral_cannot_carry_the_victims_notes_or_case_facts(
    cast, alice, proposal
):
    from haven.cases.services import case_add_person
    from haven.people.services import person_create

    sister = person_create(actor=alice, first_name="Rosa", last_name="Reyes")
    case_add_person(actor=alice, case=cast.case_a, person=sister, relation="family")

    with pytest.raises(ValidationError) as refused:
        proposal(person=sister, categories=["identity", "notes", "case_facts"])

    assert "about the case's victim" in str(refused.value)
    assert not Referral.objects.filter(person=sister).exists()
    assert proposal(person=sister, categories=["identity", "contact"]).person == sister
