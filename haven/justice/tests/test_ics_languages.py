"""The victim's calendar file in their language (issue 14, item 5): the hearing's kind, the
reminder, the courtroom and the calendar's name in en, es, pl, zh and ar; any other language
gets English and the specialist's calendar page says so."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from haven.justice import ics, services
from haven.justice.calendar_words import calendar_language
from haven.people.services import person_update

EXPECTED = {
    "en": ("Trial", "Tomorrow: Trial", "courtroom 302", "Court dates"),
    "es": ("Juicio", "Mañana: Juicio", "sala 302", "Fechas en el tribunal"),
    "pl": ("Rozprawa", "Jutro: Rozprawa", "sala 302", "Terminy w sądzie"),
    "zh": ("审判", "明天：审判", "302号法庭", "出庭日期"),
    "ar": ("المحاكمة", "غدًا: المحاكمة", "قاعة 302", "مواعيد المحكمة"),
}


@pytest.fixture
def trial(cast, alice, clock):
    court_case = services.court_case_save(
        actor=alice, case=cast.case_a, court="Circuit Court of Cook County", number="26CR1"
    )
    return services.court_event_record(
        actor=alice,
        court_case=court_case,
        kind="trial",
        scheduled_at=timezone.now() + timedelta(days=5),
        courthouse="Leighton",
        courtroom="302",
    )


@pytest.mark.parametrize("language", list(EXPECTED))
def test_the_calendar_file_speaks_the_victims_language(trial, language):
    summary, reminder, room, name = EXPECTED[language]
    cal = Calendar.from_ical(ics.calendar([trial], host="haven.test", language=language))
    event = cal.walk("VEVENT")[0]
    assert str(event["SUMMARY"]) == summary
    assert str(event["LOCATION"]) == f"Leighton, {room}"
    assert str(event.walk("VALARM")[0]["DESCRIPTION"]) == reminder
    assert str(cal["X-WR-CALNAME"]) == name


def test_a_language_without_words_gets_english_and_the_specialist_is_told(
    cast, sam, client_as, trial
):
    assert calendar_language("vi") == ("en", True)
    assert calendar_language("zh") == ("zh", False)
    person_update(actor=sam, person=cast.victim_a, preferred_language="vi")
    client = client_as("advocate")
    page = client.get(reverse("justice:calendar", args=[cast.case_a.pk, cast.victim_a.pk]))
    assert b"no calendar words in Vietnamese" in page.content
    download = client.get(
        reverse("justice:calendar_download", args=[cast.case_a.pk, cast.victim_a.pk])
    )
    assert b"SUMMARY:Trial" in download.content


def test_the_download_uses_the_persons_language(cast, sam, client_as, trial):
    person_update(actor=sam, person=cast.victim_a, preferred_language="es")
    download = client_as("advocate").get(
        reverse("justice:calendar_download", args=[cast.case_a.pk, cast.victim_a.pk])
    )
    assert "SUMMARY:Juicio" in download.content.decode()
