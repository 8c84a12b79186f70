"""The victim's page through the test client: the link asks for a code, the code opens a short
session, every request is audited, answers are never cached nor leak the link, and what the
victim changes lands on the case timeline."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from haven.audit.models import AuditAction
from haven.cases.models import CaseEvent, CaseEventKind
from haven.notices.models import OptOut
from haven.portal.services import page_revoke
from haven.portal.tests.conftest import last_code, link_token


def _open(client, page):
    token = link_token(page)
    client.post(reverse("portal:code", args=[token]))
    answer = client.post(reverse("portal:open", args=[token]), {"code": last_code(page)})
    assert answer.status_code == 302
    return token


def test_the_link_asks_for_a_code_and_shows_nothing_else(client, offer, new_audit_events):
    page = offer(show_court=True).page
    answer = client.get(reverse("portal:page", args=[link_token(page)]))
    assert answer.status_code == 200
    assert b"Send me a code" in answer.content and b"Alice Avery" not in answer.content
    assert answer["Referrer-Policy"] == "same-origin"
    assert answer["Cache-Control"] == "no-store"
    assert "default-src 'self'" in answer["Content-Security-Policy"]
    assert new_audit_events(action=AuditAction.PORTAL_GATE)


def test_the_code_opens_the_page_and_each_view_is_audited(client, offer, new_audit_events):
    page = offer().page
    token = _open(client, page)
    answer = client.get(reverse("portal:page", args=[token]))
    assert b"Alice Avery" in answer.content and b"312-555-0101" in answer.content
    assert b"after 5pm" not in answer.content
    assert answer["Cache-Control"] == "no-store"
    assert new_audit_events(action=AuditAction.PORTAL_VIEW)
    assert new_audit_events(action=AuditAction.PORTAL_SIGN_IN)


def test_a_wrong_code_says_so_in_the_victims_language(client, sam, victim, offer):
    from haven.people.services import person_update

    person_update(actor=sam, person=victim, preferred_language="pl")
    page = offer().page
    answer = client.post(reverse("portal:open", args=[link_token(page)]), {"code": "12"})
    assert answer.status_code == 200
    assert "Nie udało się" in answer.content.decode()
    assert b'lang="pl"' in answer.content


def test_the_session_ends_after_15_idle_minutes(client, offer, clock):
    page = offer().page
    token = _open(client, page)
    clock.move_to(timezone.now() + timedelta(minutes=16))
    answer = client.get(reverse("portal:page", args=[token]))
    assert b"Alice Avery" not in answer.content
    assert b"15 minutes without use" in answer.content


def test_a_revoked_link_opens_nothing_even_mid_session(client, alice, offer):
    page = offer().page
    token = _open(client, page)
    page_revoke(actor=alice, page=page)
    answer = client.get(reverse("portal:page", args=[token]))
    assert answer.status_code == 404
    assert b"no longer works" in answer.content


def test_an_unknown_link_is_404(client, cast):
    assert client.get(reverse("portal:page", args=["nope"])).status_code == 404


def test_changing_language_and_safe_times_shows_on_the_case(client, offer, victim, safe_phone):
    page = offer().page
    token = _open(client, page)
    client.post(reverse("portal:language", args=[token]), {"language": "ar"})
    victim.refresh_from_db()
    assert victim.preferred_language == "ar"
    prefix = f"cp{safe_phone.pk}"
    answer = client.post(
        reverse("portal:choices", args=[token]),
        {f"{prefix}-ok": "on", f"{prefix}-from": "09:00", f"{prefix}-until": "17:00"},
    )
    assert answer.status_code == 302
    safe_phone.refresh_from_db()
    assert safe_phone.safe_from.hour == 9 and safe_phone.safe_until.hour == 17
    summaries = [
        e.data["summary"]
        for e in CaseEvent.objects.filter(case=page.case, kind=CaseEventKind.PORTAL)
    ]
    assert any("language: العربية" in s for s in summaries)
    assert any("safe times" in s for s in summaries)


def test_one_end_of_the_safe_hours_is_refused_with_a_message(client, offer, safe_phone):
    page = offer().page
    token = _open(client, page)
    prefix = f"cp{safe_phone.pk}"
    answer = client.post(
        reverse("portal:choices", args=[token]), {f"{prefix}-ok": "on", f"{prefix}-from": "09:00"}
    )
    assert answer.status_code == 200 and b"Please fix" in answer.content
    safe_phone.refresh_from_db()
    assert safe_phone.safe_from is None


def test_stop_all_messages(client, offer, victim, new_audit_events):
    page = offer().page
    token = _open(client, page)
    answer = client.post(reverse("portal:stop", args=[token]), {"stop": "all"})
    assert answer.status_code == 302
    assert OptOut.objects.get(person=victim).via == "portal"
    assert new_audit_events(action=AuditAction.PORTAL_CHANGE)
    summaries = [
        e.data["summary"]
        for e in CaseEvent.objects.filter(case=page.case, kind=CaseEventKind.PORTAL)
    ]
    assert any("stopped all messages" in s for s in summaries)


def test_the_calendar_only_when_court_dates_are_released(client, cast, alice, offer):
    from haven.portal.tests.test_shown import _court

    _court(alice, cast.case_a)
    page = offer().page
    token = _open(client, page)
    assert client.get(reverse("portal:calendar", args=[token])).status_code == 404
    page.show_court = True
    page.save(update_fields=["show_court"])
    answer = client.get(reverse("portal:calendar", args=[token]))
    body = answer.content.decode()
    assert answer["Content-Type"].startswith("text/calendar")
    assert "BEGIN:VEVENT" in body and "Rex Roe" not in body and "26CR01234" not in body


def test_another_agencys_session_does_not_open_this_page(client, cast, alice, charlie, offer):
    from haven.people.models import ContactKind
    from haven.people.services import contact_point_add
    from haven.portal.services import page_offer

    mine = offer().page
    other_victim = cast.case_b.primary_victim
    contact_point_add(
        actor=charlie,
        person=other_victim,
        kind=ContactKind.PHONE,
        value="(212) 555-0111",
        ok_text=True,
    )
    theirs = page_offer(actor=charlie, case=cast.case_b, person=other_victim).page
    _open(client, theirs)
    answer = client.get(reverse("portal:page", args=[link_token(mine)]))
    assert b"Alice Avery" not in answer.content and b"Send me a code" in answer.content


def test_english_names_and_words_stay_whole_on_the_arabic_page(client, cast, alice, offer):
    """Seen in the docs' screenshots: in Arabic, the courthouse's English name pulled the
    time's "ص" (a.m.) to the wrong end of the line, and the specialist's English words put
    their full stop first. The place is isolated (<bdi>) and their words take their own
    direction (dir="auto")."""
    from haven.portal.tests.test_shown import _court

    _court(alice, cast.case_a)
    page = offer(show_court=True, next_steps="Call me the week before the hearing.").page
    token = _open(client, page)
    body = client.get(reverse("portal:page", args=[token]) + "?lang=ar").content.decode()
    assert 'dir="rtl"' in body
    assert '<bdi class="haven-place">Domestic Violence Courthouse, #103</bdi>' in body
    assert '<p class="margin-y-1" dir="auto">Call me the week before the hearing.</p>' in body
