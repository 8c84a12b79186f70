"""The public help page: no sign-in, no cookie, the reader's language, the unit's data."""

from datetime import time

import pytest
from django.utils.html import escape

from haven.agencies.models import Agency
from haven.core.quick_exit import QUICK_EXIT_DEFAULT
from haven.public.selectors import negotiate
from haven.public.testing import ABOUT_EN, ABOUT_ES, REACH_EN, furnish_help_page
from haven.public.texts import CODES, rights, steps

pytestmark = pytest.mark.django_db


@pytest.fixture
def agency(cast, cora):
    return furnish_help_page(cora)


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("", "en"),
        ("es-MX,es;q=0.9,en;q=0.8", "es"),
        ("pl", "pl"),
        ("zh-CN,zh;q=0.9", "zh-hans"),
        ("zh-TW", "zh-hans"),
        ("ar-EG;q=0.7, fr;q=0.9", "ar"),
        ("de-DE, en;q=0.1", "en"),
        ("en;q=0.2, es;q=0.8", "es"),
        ("es;q=0, pl", "pl"),
        ("garbage;q=x", "en"),
    ],
)
def test_the_language_follows_the_browser(header, expected):
    assert negotiate(header) == expected


@pytest.mark.parametrize("language", CODES)
def test_the_page_answers_in_each_language_without_a_cookie_and_without_a_sign_in(
    client, agency, language
):
    response = client.get(f"/help/riverside/{language}/")

    assert response.status_code == 200
    assert not response.cookies, response.cookies
    assert "Set-Cookie" not in response.headers
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert "no-store" in response.headers["Cache-Control"]
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    html = response.content.decode()
    page = response.context["page"]
    assert f'lang="{page.lang}"' in html
    assert ('dir="rtl"' in html) == (language == "ar")
    assert "csrfmiddlewaretoken" not in html and "<form" not in html
    # A neutral title: a tab, the history or a shared screen says only "Information".
    assert f"<title>{page.t['ui']['title']}</title>" in html
    for key in steps.STEPS:
        assert escape(page.t["steps"][key]) in html
    for key in rights.ILLINOIS:
        assert escape(page.t["rights"][key]) in html
    assert "1-800-228-3368" in html  # the state's assistance line, from the program data
    assert 'id="quick-exit"' in html and QUICK_EXIT_DEFAULT in html


def test_the_page_shows_the_units_services_hours_partners_and_hotlines(client, agency):
    html = client.get("/help/riverside/en/").content.decode()

    assert "Monday to Friday: 8:30 AM – 5:00 PM" in html
    assert "Saturday: 9:00 AM – 1:00 PM" in html
    assert "(312) 555-0100" in html  # the unit
    assert "(312) 555-0199" in html  # the on-call line out of hours
    assert "24 hours a day, 7 days a week" in html
    assert "By appointment" in html  # going to court
    assert "Harbor House" in html and "Quiet Partner Clinic" not in html
    assert "City Domestic Violence Help Line" in html
    assert "Apply within 5 years of the crime" in html  # Illinois since 2022
    assert "$45,000" in html
    assert ABOUT_EN.splitlines()[0] in html and REACH_EN in html


def test_a_section_missing_in_a_language_shows_the_english_and_says_so(client, agency):
    spanish = client.get("/help/riverside/es/").content.decode()
    assert ABOUT_ES.splitlines()[0] in spanish
    # Spanish "how to reach us" was left blank: the English, marked as English.
    assert "Esta sección aún no está disponible en español. Aquí está en inglés." in spanish
    assert REACH_EN in spanish
    assert '<div lang="en" dir="ltr"><p>Walk in' in spanish

    arabic = client.get("/help/riverside/ar/").content.decode()
    assert "هذا القسم غير متوفر بعد باللغة العربية" in arabic
    assert ABOUT_EN.splitlines()[0] in arabic


def test_the_address_without_a_language_follows_accept_language_and_varies_on_it(client, agency):
    response = client.get("/help/riverside/", HTTP_ACCEPT_LANGUAGE="pl-PL,pl;q=0.9")

    assert response.status_code == 200
    assert response.context["page"].language == "pl"
    assert response.headers["Content-Language"] == "pl"
    assert "Accept-Language" in response.headers["Vary"]
    assert not response.cookies


def test_an_unknown_agency_a_suspended_one_or_an_unknown_language_is_not_found(client, agency):
    assert client.get("/help/nowhere/").status_code == 404
    assert client.get("/help/riverside/fr/").status_code == 404
    Agency.objects.filter(pk=agency.pk).update(is_active=False)
    assert client.get("/help/riverside/").status_code == 404


def test_only_get_is_answered(client, agency):
    assert client.post("/help/riverside/en/").status_code == 405


def test_each_agency_shows_its_own_page(client, cast, agency):
    html = client.get("/help/lakeside/en/").content.decode()

    assert "Lakeside Sheriff Victim Unit" in html
    assert "Harbor House" not in html and "Riverside" not in html
    # Lakeside set no hours: the page says to call and ask.
    assert "Call to ask when" in html


def test_a_unit_on_call_around_the_clock_shows_crisis_support_all_day(client, cast, cora):
    from haven.oncall.services import oncall_settings_set

    furnish_help_page(cora)
    oncall_settings_set(actor=cora, coverage="always", hotline="")

    page = client.get("/help/riverside/en/").context["page"]

    [crisis] = [row for row in page.services if row.key == "crisis"]
    assert [(a.when, a.phone) for a in crisis.times] == [
        ("24 hours a day, 7 days a week", "(312) 555-0100")
    ]


def test_hours_lines_group_days_and_keep_split_days(cast):
    from haven.public.hours import hour_lines
    from haven.public.texts import text

    spans = {0: [(time(9), time(12)), (time(13), time(17))], 1: [(time(9), time(12))]}
    assert hour_lines(spans, text("zh-hans")["ui"]) == [
        "星期一: 9:00 – 12:00, 13:00 – 17:00",
        "星期二: 9:00 – 12:00",
    ]
