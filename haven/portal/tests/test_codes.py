"""Codes: issued to a safe contact point only, hashed, one use, 15 minutes, rate-limited; the
page locks after five wrong tries; revoked and expired pages open for nobody."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from haven.audit.models import AuditAction
from haven.notices.models import Message
from haven.notices.services import notice_settings_update
from haven.people.models import ContactKind
from haven.people.services import contact_point_add, person_update
from haven.portal.models import AccessCode
from haven.portal.services import page_revoke
from haven.portal.tests.conftest import last_code
from haven.portal.victim import CodeResult, OpenResult, code_send, page_open


def test_a_code_goes_by_text_to_the_safe_phone_and_only_its_hash_is_kept(offer, safe_phone):
    page = offer().page
    sent = code_send(page=page, ip="10.0.0.9")
    assert sent.result == CodeResult.SENT
    message = Message.objects.get(template="portal_code")
    assert message.channel == "sms" and message.contact_point == safe_phone
    code = last_code(page)
    row = AccessCode.objects.get(page=page)
    assert code not in row.code_digest and len(row.code_digest) == 64
    assert "code" not in message.facts  # never kept in clear outside the encrypted body


def test_the_right_code_opens_the_page_once(offer):
    page = offer().page
    code_send(page=page, ip=None)
    code = last_code(page)
    assert page_open(page=page, code=code, ip=None) == OpenResult.OPEN
    assert page_open(page=page, code=code, ip=None) == OpenResult.WRONG
    page.refresh_from_db()
    assert page.last_opened_at is not None


def test_a_code_expires_after_15_minutes(offer, clock):
    page = offer().page
    code_send(page=page, ip=None)
    code = last_code(page)
    clock.move_to(timezone.now() + timedelta(minutes=16))
    assert page_open(page=page, code=code, ip=None) == OpenResult.WRONG


def test_no_safe_contact_point_means_no_code(cast, alice, victim):
    from haven.portal.services import page_offer

    # Dana's only phone (from the cast) is not marked safe to text.
    page = page_offer(actor=alice, case=cast.case_a, person=victim).page
    assert code_send(page=page, ip=None).result == CodeResult.NO_SAFE
    assert not AccessCode.objects.filter(page=page).exists()
    assert not Message.objects.filter(template="portal_code").exists()


def test_an_unsafe_email_is_never_used(cast, alice, victim):
    from haven.portal.services import page_offer

    contact_point_add(
        actor=alice, person=victim, kind=ContactKind.EMAIL, value="d@example.org", ok_mail=False
    )
    page = page_offer(actor=alice, case=cast.case_a, person=victim).page
    assert code_send(page=page, ip=None).result == CodeResult.NO_SAFE


def test_a_code_in_quiet_hours_waits_and_lives_15_minutes_from_then(offer, cora, clock):
    page = offer().page
    notice_settings_update(
        actor=cora,
        quiet_start=timezone.localtime().time().replace(hour=9),
        quiet_end=timezone.localtime().time().replace(hour=12),
    )
    sent = code_send(page=page, ip=None)
    assert sent.result == CodeResult.HELD and sent.when > timezone.now()
    row = AccessCode.objects.get(page=page)
    assert row.expires_at == sent.when + timedelta(minutes=15)


def test_three_codes_an_hour_then_refused(offer, clock):
    page = offer().page
    for _ in range(3):
        assert code_send(page=page, ip=None).result == CodeResult.SENT
    assert code_send(page=page, ip=None).result == CodeResult.TOO_MANY
    clock.move_to(timezone.now() + timedelta(minutes=61))
    assert code_send(page=page, ip=None).result == CodeResult.SENT


def test_five_wrong_tries_lock_the_page_and_void_its_codes(offer, clock, new_audit_events):
    page = offer().page
    code_send(page=page, ip=None)
    code = last_code(page)
    wrong = "000000" if code != "000000" else "111111"
    results = [page_open(page=page, code=wrong, ip=None) for _ in range(5)]
    assert results == [OpenResult.WRONG] * 4 + [OpenResult.LOCKED]
    assert page_open(page=page, code=code, ip=None) == OpenResult.LOCKED
    assert code_send(page=page, ip=None).result == CodeResult.LOCKED
    clock.move_to(timezone.now() + timedelta(minutes=16))
    # The lock is over, but the code sent before it was voided.
    assert page_open(page=page, code=code, ip=None) == OpenResult.WRONG
    refused = new_audit_events(action=AuditAction.PORTAL_REFUSED)
    assert any("locked" in e.details["why"] for e in refused)


def test_date_of_birth_opens_only_where_chosen(cast, alice, sam, victim, safe_phone):
    from haven.portal.services import page_offer

    person_update(actor=sam, person=victim, date_of_birth=date(1990, 4, 27))
    plain = page_offer(actor=alice, case=cast.case_a, person=victim).page
    assert page_open(page=plain, dob=date(1990, 4, 27), ip=None) == OpenResult.WRONG
    page_revoke(actor=alice, page=plain)
    chosen = page_offer(actor=alice, case=cast.case_a, person=victim, dob_allowed=True).page
    assert page_open(page=chosen, dob=date(1990, 4, 28), ip=None) == OpenResult.WRONG
    assert page_open(page=chosen, dob=date(1990, 4, 27), ip=None) == OpenResult.OPEN


def test_date_of_birth_cannot_be_chosen_when_unknown(offer):
    with pytest.raises(ValidationError):
        offer(dob_allowed=True)


def test_the_link_expires_after_90_days_by_default(offer, clock):
    page = offer().page
    assert page.expires_at == page.created_at + timedelta(days=90)
    assert page.is_live()
    clock.move_to(page.expires_at + timedelta(seconds=1))
    page.refresh_from_db()
    assert not page.is_live()


def test_codes_and_sign_ins_are_audited(offer, new_audit_events):
    page = offer().page
    code_send(page=page, ip="10.0.0.9")
    page_open(page=page, code=last_code(page), ip="10.0.0.9")
    code_event = new_audit_events(action=AuditAction.PORTAL_CODE)[0]
    sign_in = new_audit_events(action=AuditAction.PORTAL_SIGN_IN)[0]
    assert code_event.actor_label == sign_in.actor_label == "victim (status page)"
    assert str(sign_in.ip) == "10.0.0.9" and sign_in.details == {"how": "code"}
