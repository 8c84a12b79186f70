"""The victim's status page in Chromium (issue 14, item 4), with CSRF on (the live server runs
the full middleware), at 320 px, in all five languages: the victim opens the link from their
text, asks for a code, types it, sees their court date, changes their language, sets safe
times, stops all messages and closes the page; axe-core finds 0 violations on each page. The
clock is frozen on the cast's Wednesday morning (docs/testing.md)."""

import os
import re
from datetime import time, timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from haven.justice import services as justice
from haven.justice.models import CustodyEvent
from haven.notices.models import Message, OptOut
from haven.notices.services import notice_settings_update
from haven.people.models import ContactKind
from haven.people.services import contact_point_add, person_update
from haven.portal.models import StatusPage
from haven.portal.services import page_offer, page_release
from haven.portal.tests.test_shown import _claim_and_referral
from tests.browser.axe import assert_accessible, assert_fits

pytestmark = pytest.mark.browser

NARROW = {"viewport": {"width": 320, "height": 640}, "is_mobile": True, "has_touch": True}
LANGUAGES = ["en", "es", "pl", "zh-hans", "ar"]
STORED = {"zh-hans": "zh"}
# The court date's kind as the page words it, and the language each test switches to.
HEARING = {
    "en": "Preliminary hearing",
    "es": "Audiencia preliminar",
    "pl": "Posiedzenie wstępne",
    "zh-hans": "预审听证",
    "ar": "جلسة تمهيدية",
}
SWITCH_TO = {"en": "es", "es": "en", "pl": "en", "zh-hans": "en", "ar": "en"}


def assert_fits_and_accessible(page):
    assert_fits(page, 320)
    assert_accessible(page)


def submit(page, selector):
    with page.expect_navigation() as navigation:
        page.locator(selector).click()
    response = navigation.value
    assert response.status != 403, page.locator("body").inner_text()[:300]
    assert response.status == 200, response.status
    assert_fits_and_accessible(page)


def _offered(cast, language):
    alice, sam = cast.actor("advocate"), cast.actor("supervisor")
    notice_settings_update(
        actor=cast.actor("coordinator"), quiet_start=time(0, 0), quiet_end=time(0, 0)
    )
    victim = cast.case_a.primary_victim
    person_update(actor=sam, person=victim, preferred_language=STORED.get(language, language))
    contact_point_add(
        actor=alice, person=victim, kind=ContactKind.PHONE, value="(312) 555-0199", ok_text=True
    )
    court_case = justice.court_case_save(
        actor=alice, case=cast.case_a, court="Circuit Court of Cook County", number="26CR01234"
    )
    justice.court_event_record(
        actor=alice,
        court_case=court_case,
        kind="preliminary_hearing",
        scheduled_at=timezone.now() + timedelta(days=6),
        courthouse="Domestic Violence Courthouse",
        courtroom="103",
    )
    page_offer(actor=alice, case=cast.case_a, person=victim, show_court=True)
    body = Message.objects.get(template="portal_link").body
    return victim, re.search(r"/my/[\w-]+/", body).group(0)


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_victim_opens_their_page_with_a_code_and_stops_messages(
    browser, live_server, live_cast, clock, language
):
    victim, path = _offered(live_cast, language)
    context = browser.new_context(**NARROW)
    context.set_default_timeout(10_000)
    page = context.new_page()
    base = live_server.url.rstrip("/")
    elsewhere = []
    page.on("request", lambda r: None if r.url.startswith(base) else elsewhere.append(r.url))
    try:
        page.goto(base + path)
        assert page.locator("html").get_attribute("lang") == language
        assert (page.locator("html").get_attribute("dir") == "rtl") == (language == "ar")
        assert page.locator("#quick-exit").is_visible()
        assert HEARING[language] not in page.content()  # nothing before the code
        assert_fits_and_accessible(page)
        submit(page, "#send-code")
        code = re.search(r"\b(\d{6})\b", Message.objects.get(template="portal_code").body).group(1)
        page.locator("#code").fill(code)
        submit(page, "#open")
        assert page.locator("#court").get_by_text(HEARING[language]).is_visible()
        assert page.get_by_text("Alice Avery").is_visible()
        assert page.locator("#calendar").is_visible()

        other = SWITCH_TO[language]
        page.locator("#lang").select_option(other)
        submit(page, "#language-form button")
        assert page.locator("html").get_attribute("lang") == other
        victim.refresh_from_db()
        assert victim.preferred_language == STORED.get(other, other)

        # Safe times for the phone: the choices form.
        phone = victim.contact_points.get(kind=ContactKind.PHONE, ok_text=True)  # (312) 555-0199
        page.locator(f"#cp{phone.pk}-from").fill("09:00")
        page.locator(f"#cp{phone.pk}-until").fill("18:30")
        submit(page, "#save-choices")
        assert page.locator("#done").is_visible()
        phone.refresh_from_db()
        assert (phone.safe_from, phone.safe_until) == (time(9, 0), time(18, 30))

        submit(page, "#stop-all")
        assert page.locator("#done").is_visible()
        assert OptOut.objects.filter(person=victim, channel="all", via="portal").exists()

        # "Close my page" ends the session: the code form again, nothing of the case.
        submit(page, "#close-page")
        assert page.locator("#send-code").is_visible()
        assert HEARING[other] not in page.content()
        assert elsewhere == []  # no third-party request
    finally:
        context.close()


# The screenshots in docs/victims.md, "The status page": `python scripts/screenshots.py` (or
# HAVEN_SCREENSHOTS=dir with this test) writes them; otherwise the test is skipped.
SHOT_LANGUAGES = ["en", "ar"]
SHOT_WIDTHS = [320, 1280]


def _furnished(cast, language):
    """The status page of _offered with every section released: court, custody, the claim,
    a referral and the specialist's words."""
    victim, path = _offered(cast, language)
    alice = cast.actor("advocate")
    court_case = cast.case_a.court_cases.first()
    justice.custody_event_record(
        actor=alice,
        case=cast.case_a,
        court_case=court_case,
        kind="released_on_bond",
        occurred_at=timezone.now() - timedelta(days=1),
    )
    _claim_and_referral(cast, victim)
    page_release(
        actor=alice,
        page=StatusPage.objects.get(case=cast.case_a),
        dob_allowed=False,
        show_court=True,
        show_compensation=True,
        show_referrals=True,
        custody_ids=list(
            CustodyEvent.objects.filter(case=cast.case_a).values_list("pk", flat=True)
        ),
        next_steps="Call me the week before the hearing: I can go with you.",
    )
    return victim, path


@pytest.mark.skipif(
    not os.environ.get("HAVEN_SCREENSHOTS"),
    reason="set HAVEN_SCREENSHOTS=<folder> (scripts/screenshots.py does)",
)
@pytest.mark.parametrize("language", SHOT_LANGUAGES)
def test_status_page_screenshots_for_the_docs(browser, live_server, live_cast, clock, language):
    out = Path(os.environ["HAVEN_SCREENSHOTS"])
    out.mkdir(parents=True, exist_ok=True)
    _victim, path = _furnished(live_cast, language)
    base = live_server.url.rstrip("/")
    for width in SHOT_WIDTHS:
        options = NARROW if width < 600 else {"viewport": {"width": width, "height": 800}}
        context = browser.new_context(**options)
        context.set_default_timeout(10_000)
        page = context.new_page()
        try:
            page.goto(base + path)
            assert_fits(page, width)
            page.screenshot(path=str(out / f"status-code-{language}-{width}.png"))
            with page.expect_navigation():
                page.locator("#send-code").click()
            code = re.search(
                r"\b(\d{6})\b",
                Message.objects.filter(template="portal_code").latest("created_at").body,
            ).group(1)
            page.locator("#code").fill(code)
            with page.expect_navigation():
                page.locator("#open").click()
            assert page.locator("#court").is_visible()
            assert_fits(page, width)
            page.screenshot(path=str(out / f"status-{language}-{width}.png"), full_page=True)
        finally:
            context.close()
