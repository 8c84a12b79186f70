from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from haven.notices.render import SMS_MAX, TEMPLATE_KEYS, format_moment, render, template_path

LANGUAGES = ["en", "es", "pl", "zh", "ar"]
FACTS = {
    "event": "Hearing",
    "when": datetime(2026, 3, 10, 15, 30, tzinfo=UTC),
    "previous_when": date(2026, 3, 3),
    "place": "Courtroom 302",
    "outcome": "Continued",
    "specialist": "Alice Avery",
    "phone": "312-555-0101",
    "amount": "$50.00",
    "status": "Approved",
    "organization": "Legal Aid",
    "service": "Civil legal help",
    "link": "https://example.org/s/abc",
    "body": "Please call us.",
    "code": "482913",
}
EXTRA = {"name": "Dana", "agency": "Riverside Victim Services", "specialist": ""}


@pytest.mark.parametrize("key", TEMPLATE_KEYS)
@pytest.mark.parametrize("language", LANGUAGES)
def test_every_template_exists_in_every_language_and_renders_short_texts(key, language):
    assert template_path(key, language).exists()
    out = render(
        key=key, language=language, facts=FACTS, tz=ZoneInfo("America/Chicago"), extra=EXTRA
    )
    assert not out.fell_back
    assert out.subject and out.body and out.sms
    assert "{{" not in out.body and "{%" not in out.body
    assert len(out.sms) <= 160 or len(out.sms) <= SMS_MAX
    assert "Dana" in out.body


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "Tuesday, March 10, 2026 at 10:30 a.m."),
        ("es", "martes, 10 de marzo de 2026 a las 10:30"),
        ("pl", "wtorek, 10 marca 2026 godz. 10:30"),
        ("zh", "2026年3月10日（星期二） 10:30"),
    ],
)
def test_dates_are_written_the_way_each_language_writes_them(language, expected):
    moment = datetime(2026, 3, 10, 15, 30, tzinfo=UTC)
    assert format_moment(moment, language, ZoneInfo("America/Chicago")) == expected


def test_an_arabic_date_uses_arabic_month_and_day_names():
    text = format_moment(date(2026, 3, 10), "ar", ZoneInfo("America/Chicago"))
    assert "مارس" in text and "الثلاثاء" in text


# Names and words that HTML escaping would mangle: every message is plain text.
UNSAFE = {
    "event": "Hearing & <status> call",
    "place": "Room 9 & bring <ID>",
    "outcome": 'Don\'t worry: "continued"',
    "specialist": "Pat O'Neil",
    "organization": "Smith & Sons <Legal>",
    "service": "Help & 'advice'",
    "status": "Paid & closed",
    "body": "Come at 9 & bring <ID>. Don't be late.",
    "link": "https://example.org/s/abc?x=1&y=2",
}


@pytest.mark.parametrize("key", TEMPLATE_KEYS)
@pytest.mark.parametrize("language", LANGUAGES)
def test_messages_are_plain_text_never_html_escaped(key, language):
    out = render(
        key=key,
        language=language,
        facts={**FACTS, **UNSAFE},
        tz=ZoneInfo("America/Chicago"),
        extra={"name": "Siobhán O'Neil", "agency": "A & B <Unit>", "specialist": "Pat O'Neil"},
    )
    for text in (out.subject, out.sms, out.body):
        for entity in ("&amp;", "&lt;", "&gt;", "&#x27;", "&#39;", "&quot;"):
            assert entity not in text, (key, language, text)
    assert "O'Neil" in out.body
    everything = out.subject + out.sms + out.body
    assert "A & B <Unit>" in everything
