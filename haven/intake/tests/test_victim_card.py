"""The officer's card for the victim (issue 14, item 5): on the receipt, in the victim's
language (or another chosen), printable alone; a language without a card prints English and
the officer is told. It carries the case number and whom to call, nothing of the incident."""

import pytest
from django.urls import reverse

from haven.intake.tests.test_scene_referral import SECRETS, refer
from haven.intake.victim_card import CARD, victim_card


@pytest.mark.parametrize(
    ("language", "words", "html"),
    [
        ("es", "Qué pasará ahora", 'lang="es" dir="ltr"'),
        ("pl", "Co dalej", 'lang="pl" dir="ltr"'),
        ("zh", "接下来会怎样", 'lang="zh-hans" dir="ltr"'),
        ("ar", "ماذا سيحدث بعد ذلك", 'lang="ar" dir="rtl"'),
    ],
)
def test_the_card_is_in_the_victims_language(client_as, cast, on_call, language, words, html):
    client = client_as("officer")
    refer(client, preferred_language=language)
    page = client.get(reverse("intake:scene_referral_received")).content.decode()
    assert words in page and html in page
    assert "(312) 555-0101" in page  # the specialist's number to call
    assert "Haven has no card" not in page
    for secret in SECRETS:
        assert secret not in page, secret


def test_the_officer_may_print_it_in_another_language(client_as, cast, on_call):
    client = client_as("officer")
    refer(client, preferred_language="es")
    page = client.get(reverse("intake:scene_referral_received") + "?card=en").content.decode()
    assert "What happens next" in page and "Qué pasará ahora" not in page


def test_a_language_without_a_card_prints_english_and_says_so(client_as, cast, on_call):
    client = client_as("officer")
    refer(client, preferred_language="vi")
    page = client.get(reverse("intake:scene_referral_received")).content.decode()
    assert "What happens next" in page
    assert "Haven has no card in the victim's language: it prints in English." in page


def test_every_card_has_every_line():
    for language in CARD:
        card = victim_card(language, unit="Unit", number="2026-000123", specialist="A", phone="1")
        assert len(card.lines) == 6 and "2026-000123" in card.lines[1]
        assert "911" in card.lines[-1]
