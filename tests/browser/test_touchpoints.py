"""The pages a person without an account answers from a link (issue 14, item 1), submitted for
real in Chromium with CSRF on (the live server runs the full middleware; nothing is exempt),
at 320 px wide, in all five languages: the survey; the one-tap opt-out (a text's link stops
texts only, an email's link email only, then all messages); a partner's answers to referrals,
each language chosen on the page's switcher. Each checks the outcome in the database and that
the page never scrolls sideways (it did in Arabic: 17,263 px) and never answers 403 (it did:
`Origin: null`). axe-core finds no violation on any of them (before and after the answer), and
each has the quick exit (issue 14, items 3 and 8): Escape on the opt-out page and the button on
the partner's page land on the agency's neutral site, served here by the test."""

import os
import re
from datetime import time

import pytest

from haven.agencies.models import Agency
from haven.cases.services import case_change_status
from haven.notices.models import Message, OptOut
from haven.notices.services import notice_settings_update
from haven.people.models import ContactKind
from haven.people.services import contact_point_add, person_update
from haven.reports.models import SurveyInvitation, SurveyResponse
from tests.browser.axe import assert_accessible

pytestmark = pytest.mark.browser

NARROW = {"viewport": {"width": 320, "height": 640}, "is_mobile": True, "has_touch": True}
LANGUAGES = ["en", "es", "pl", "zh", "ar"]


NEUTRAL = "https://neutral.example/weather"
# scripts/screenshots.py sets it: the partner's page is photographed on its way.
SHOTS = os.environ.get("HAVEN_SCREENSHOTS")


def narrow_page(browser):
    context = browser.new_context(**NARROW)
    context.set_default_timeout(10_000)
    context.route(
        "https://neutral.example/**",
        lambda route: route.fulfill(status=200, content_type="text/html", body="<h1>Weather</h1>"),
    )
    return context, context.new_page()


def quick_exit_leaves(context, url: str, key: str | None = None):
    """Opened in a new tab, the page's quick exit (Escape with `key`, else the button) lands
    on the neutral site in place of the page: Back does not return to it."""
    page = context.new_page()
    page.goto(url)
    left = page.url
    assert page.locator("#quick-exit").is_visible()
    with page.expect_navigation(url=NEUTRAL):
        if key:
            page.keyboard.press(key)
        else:
            page.locator("#quick-exit").click()
    page.go_back()
    assert page.url != left


def assert_fits(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 320, f"{page.url} scrolls sideways: {width} px wide at 320"


def submit(page, selector):
    with page.expect_navigation() as navigation:
        page.locator(selector).click()
    response = navigation.value
    assert response.status != 403, page.locator("body").inner_text()[:300]
    assert response.status == 200, response.status
    return response


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_victim_answers_the_survey_and_stops_texts_email_and_all_messages_in_their_language(
    browser, live_server, live_cast, smtp_inbox, language
):
    cast = live_cast
    alice, sam = cast.actor("advocate"), cast.actor("supervisor")
    notice_settings_update(
        actor=cast.actor("coordinator"), quiet_start=time(0, 0), quiet_end=time(0, 0)
    )
    victim = cast.case_a.primary_victim
    person_update(actor=sam, person=victim, preferred_language=language)
    contact_point_add(
        actor=alice, person=victim, kind=ContactKind.EMAIL, value="d@example.org", ok_mail=True
    )
    contact_point_add(
        actor=alice, person=victim, kind=ContactKind.PHONE, value="+13125550142", ok_text=True
    )
    # Closing the case (final: no review here) offers the survey; its email also carries the
    # person's own opt-out link. Both links are absolute.
    case_change_status(actor=sam, case=cast.case_a, status="closed", close_reason="goals_met")
    invitation = SurveyInvitation.objects.get(case=cast.case_a)
    assert invitation.language == language
    sent = Message.objects.filter(dedupe_key=f"survey:{invitation.pk}")
    body = sent.get(channel="email").body
    survey_url = re.search(r"https?://\S+/s/[\w-]+/", body).group(0)
    opt_out_url = re.search(r"https?://\S+/n/[^/\s]+/", body).group(0)
    text_opt_out_url = re.search(r"https?://\S+/n/[^/\s]+/", sent.get(channel="sms").body).group(0)
    # The links name the configured site; the browser opens the same paths on the live server.
    base = live_server.url.rstrip("/")
    survey_path = re.sub(r"^https?://[^/]+", "", survey_url)
    opt_out_path = re.sub(r"^https?://[^/]+", "", opt_out_url)
    text_opt_out_path = re.sub(r"^https?://[^/]+", "", text_opt_out_url)

    context, page = narrow_page(browser)
    try:
        page.goto(base + survey_path)
        assert page.locator("html").get_attribute("lang") == language
        assert (page.locator("html").get_attribute("dir") == "rtl") == (language == "ar")
        assert page.locator("form label.usa-radio__label").first.is_visible()
        assert_fits(page)
        assert_accessible(page)
        page.locator("label[for=overall-5]").click()
        page.locator("label[for=respected-yes]").click()
        page.locator("#comment").fill("Thank you & <good> O'Neil")
        submit(page, "form button[type=submit]")
        assert_fits(page)
        assert_accessible(page)
        [answer] = SurveyResponse.objects.filter(agency=cast.agency_a)
        assert answer.overall == 5 and answer.respected == "yes"
        assert answer.comment == "Thank you & <good> O'Neil"

        # The text's link: "texts only" stops texts and nothing else.
        page.goto(base + text_opt_out_path)
        submit(page, "button[name=stop][value=channel]")
        assert page.get_by_role("status").is_visible()
        assert set(OptOut.objects.filter(person=victim).values_list("channel", "via")) == {
            ("sms", "link")
        }
        # The email's link: "email only", then, from the same link again, all messages.
        response = page.goto(base + opt_out_path)
        assert response.headers["referrer-policy"] == "same-origin"
        assert "no-store" in response.headers["cache-control"]
        assert_fits(page)
        assert_accessible(page)
        submit(page, "button[name=stop][value=channel]")
        assert OptOut.objects.filter(person=victim, channel="email", via="link").exists()
        page.goto(base + opt_out_path)
        submit(page, "button[name=stop][value=all]")
        assert page.get_by_role("status").is_visible()
        assert_fits(page)
        assert_accessible(page)
        assert OptOut.objects.filter(person=victim, channel="all", via="link").exists()
        Agency.objects.filter(pk=cast.agency_a.pk).update(quick_exit_url=NEUTRAL)
        quick_exit_leaves(context, base + opt_out_path, key="Escape")
    finally:
        context.close()


# The partner walks two referrals through every answer, one language a step, choosing each
# language on the page's switcher: (language, answer, note).
PARTNER_STEPS = [
    [("en", "accepted", "Bed 4 & a cot <tonight>."), ("es", "service_started", "Llegó."),
     ("pl", "completed", "Zakończone.")],
    [("zh-hans", "accepted", ""), ("ar", "no_show", "لم تحضر.")],
]  # fmt: skip


def _partner_referral(cast, site_url):
    """A referral to Harbor House's shelter under a paper release, sent: (referral, token)."""
    from datetime import timedelta

    from django.utils import timezone

    from haven.consent.models import ConsentMethod, ReleaseOfInformation
    from haven.partners.models import Organization
    from haven.partners.services import organization_save, service_save
    from haven.referrals.services import referral_propose, referral_send

    alice, cora = cast.actor("advocate"), cast.actor("coordinator")
    org = Organization.objects.filter(name="Harbor House").first() or organization_save(
        actor=cora, name="Harbor House", email="intake@harbor.example"
    )
    shelter = service_save(
        actor=cora, organization=org, name="Emergency shelter", email="s@harbor.example",
        needs=["shelter"],
    )  # fmt: skip
    now = timezone.now()
    ReleaseOfInformation.objects.create(
        agency=cast.agency_a,
        person=cast.victim_a,
        case=cast.case_a,
        recipient_organization=org,
        purposes=["referral"],
        categories=["identity", "contact", "service_needs"],
        method=ConsentMethod.PAPER,
        signer_not_offender_confirmed=True,
        informed_confirmed=True,
        signed_at=now - timedelta(days=1),
        expires_at=now + timedelta(days=90),
        recorded_by=cast.advocate,
    )
    referral = referral_propose(
        actor=alice,
        case=cast.case_a,
        service=shelter,
        need="shelter",
        categories=["identity", "contact", "service_needs"],
        message="Needs a bed tonight.",
        urgency="urgent",
    )
    return referral_send(actor=alice, referral=referral, site_url=site_url)


def test_a_partner_answers_a_referral_in_each_language(browser, live_server, live_cast, smtp_inbox):
    """Each step: the switcher to the next language (its link, as a partner would), the page
    in that language and direction, fitting 320 px, axe-clean; the answer submitted for real
    and thanked for in that language; the referral moved. The first page is the browser's
    language (Accept-Language: Spanish, then English on the switcher)."""
    from haven.referrals.models import Referral
    from haven.referrals.partner_words import TEXT

    cast = live_cast
    base = live_server.url.rstrip("/")
    context, page = narrow_page(browser)
    try:
        for steps in PARTNER_STEPS:
            referral, token = _partner_referral(cast, live_server.url)
            page.set_extra_http_headers({"Accept-Language": "es-MX,es;q=0.9"})
            response = page.goto(f"{base}/partner/{cast.agency_a.slug}/referrals/{token}/")
            assert response.headers["referrer-policy"] == "same-origin"
            assert page.locator("html").get_attribute("lang") == "es"
            page.set_extra_http_headers({})
            for language, answer, note in steps:
                if page.locator("html").get_attribute("lang") != language:
                    with page.expect_navigation():
                        page.locator(f"#languages a[hreflang={language}]").click()
                assert page.locator("html").get_attribute("lang") == language
                assert (page.locator("html").get_attribute("dir") == "rtl") == (language == "ar")
                assert_fits(page)
                assert_accessible(page)
                if SHOTS and language in ("es", "ar"):  # for docs/victims.md
                    page.screenshot(path=f"{SHOTS}/partner-{language}-320.png", full_page=True)
                page.locator("#answer select[name=status]").select_option(answer)
                page.locator("#answer textarea[name=note]").fill(note)
                submit(page, "#answer button[type=submit]")
                assert (
                    page.get_by_role("status")
                    .inner_text()
                    .startswith(TEXT[language]["answered"].split("{")[0].strip())
                )
                assert page.locator("html").get_attribute("lang") == language
                assert_fits(page)
                referral = Referral.objects.get(pk=referral.pk)
                assert referral.status == answer and referral.answer == note
                assert referral.answered_by == "partner via link"
        assert_accessible(page)
        Agency.objects.filter(pk=cast.agency_a.pk).update(quick_exit_url=NEUTRAL)
        quick_exit_leaves(context, page.url)
    finally:
        context.close()
