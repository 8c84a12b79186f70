"""No crime details in a text (issue 17, item 2): a text carries only what its template's
facts allow (render.SMS_FACTS), never free text typed by staff or taken from a feed. Checked
over every template and every shipped language, and end to end from the justice tracker."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from haven.justice import services as justice
from haven.notices import render
from haven.notices.models import Channel, Message

LANGUAGES = ("en", "es", "pl", "zh", "ar")
SECRET = "SECRET-stabbed-him-with-a-knife"
# Every fact any template uses; each key's own SMS facts get harmless values, the rest the
# secret, as if a caller passed free text under that name.
ALL_FACTS = {
    "event": "Arraignment",
    "when": datetime(2026, 3, 10, 15, 30, tzinfo=UTC),
    "previous_when": datetime(2026, 3, 3, 15, 30, tzinfo=UTC),
    "place": "Courtroom 302",
    "court_case": "26CR0001",
    "outcome": "Guilty",
    "specialist": "Alice Avery",
    "phone": "(312) 555-0101",
    "email": "alice@example.org",
    "amount": "$40.00",
    "balance": "$360.00",
    "status": "approved",
    "program": "Crime Victims Compensation",
    "claim_number": "C-1",
    "next_step": "Mail the receipts",
    "organization": "Shelter House",
    "service": "shelter",
    "link": "https://haven.example/s/abc",
    "body": "Free text",
    "subject": "Free text",
    "conditions": "No contact",
}


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("key", render.TEMPLATE_KEYS)
def test_a_text_carries_only_its_templates_facts(key, language):
    allowed = render.SMS_FACTS[key]
    facts = {name: (value if name in allowed else SECRET) for name, value in ALL_FACTS.items()}
    out = render.render(
        key=key,
        language=language,
        facts=facts,
        tz=ZoneInfo("America/Chicago"),
        extra={"name": "Dana", "agency": "Riverside VS", "specialist": "Alice Avery"},
    )

    assert out.sms, (key, language)
    assert SECRET not in out.sms, (key, language)
    assert out.language == language


@pytest.mark.parametrize("key", render.TEMPLATE_KEYS)
def test_free_text_facts_never_reach_a_text(key):
    assert not render.SMS_FACTS[key] & {"outcome", "body", "subject", "conditions", "next_step"}


@pytest.mark.django_db
def test_a_court_outcome_typed_by_staff_reaches_the_email_but_not_the_text(
    cast, alice, with_email, with_text
):
    with time_machine.travel(datetime(2026, 3, 2, 15, 0, tzinfo=UTC), tick=False):
        court_case = justice.court_case_save(
            actor=alice, case=cast.case_a, court="Circuit Court", number="26CR0001"
        )
        event = justice.court_event_record(
            actor=alice,
            court_case=court_case,
            kind="sentencing",
            scheduled_at=datetime(2026, 3, 2, 14, 0, tzinfo=UTC),
        )
        justice.court_event_outcome(
            actor=alice, event=event, outcome=f"Sentenced to 4 years for {SECRET}"
        )

    outcome = Message.objects.filter(template="court_event_outcome")
    assert SECRET not in outcome.get(channel=Channel.SMS).body
    assert SECRET in outcome.get(channel=Channel.EMAIL).body


@pytest.mark.django_db
def test_release_conditions_from_a_feed_never_reach_a_text(cast, alice, with_text):
    with time_machine.travel(datetime(2026, 3, 2, 15, 0, tzinfo=UTC), tick=False):
        justice.custody_event_record(
            actor=alice,
            case=cast.case_a,
            kind="released_on_bond",
            occurred_at=datetime(2026, 3, 2, 15, 0, tzinfo=UTC) - timedelta(hours=1),
            conditions=f"Stay away from the victim, {SECRET}",
        )

    text = Message.objects.get(template="custody_event", channel=Channel.SMS)
    assert SECRET not in text.body and "Released on bond" in text.body
    assert SECRET not in str(text.facts)


@pytest.mark.django_db
def test_a_message_written_by_staff_goes_by_text_only_as_a_pointer(cast, alice, with_text):
    from haven.notices.services import message_send_staff

    [text] = message_send_staff(
        actor=alice, case=cast.case_a, person=cast.victim_a, subject="x", body=SECRET
    )

    assert text.channel == Channel.SMS and SECRET not in text.body
    assert "has a message for you" in text.body
