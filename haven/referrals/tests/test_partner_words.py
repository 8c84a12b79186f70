"""The partner's page in the five languages: every word in every language, the switcher and
the browser's Accept-Language choose, the answer keeps the language, Arabic reads right to left."""

import re

import pytest

from haven.referrals.partner_words import CODES, TEXT
from haven.referrals.tests.test_partner_link import url

PLACEHOLDER = re.compile(r"\{(\w+)\}")


def _keys(table: dict, prefix: str = "") -> dict[str, str]:
    out = {}
    for key, value in table.items():
        if isinstance(value, dict):
            out |= _keys(value, f"{prefix}{key}.")
        else:
            out[prefix + key] = value
    return out


@pytest.mark.parametrize("language", [c for c in CODES if c != "en"])
def test_every_word_is_written_in_every_language_with_the_same_placeholders(language):
    english, other = _keys(TEXT["en"]), _keys(TEXT[language])
    assert set(other) == set(english)
    for key, text in other.items():
        assert text.strip(), key
        assert set(PLACEHOLDER.findall(text)) == set(PLACEHOLDER.findall(english[key])), key
        if len(english[key]) > 12:
            assert text != english[key], f"{key} is still English"


def test_the_browser_language_chooses_and_the_switcher_overrides(client, sent):
    _referral, token = sent
    spanish = client.get(url(token), HTTP_ACCEPT_LANGUAGE="es-MX,es;q=0.9,en;q=0.5")
    body = spanish.content.decode()
    assert '<html lang="es" dir="ltr">' in body and "Enviar su respuesta" in body
    assert spanish["Content-Language"] == "es" and "Accept-Language" in spanish["Vary"]
    # Each language's link is this page in that language.
    for code in CODES:
        assert f'href="{url(token)}?lang={code}"' in body
    arabic = client.get(url(token) + "?lang=ar", HTTP_ACCEPT_LANGUAGE="es")
    body = arabic.content.decode()
    assert '<html lang="ar" dir="rtl">' in body and TEXT["ar"]["send"] in body
    assert TEXT["ar"]["statuses"]["accepted"] in body  # the answers, too


def test_an_answer_in_polish_comes_back_in_polish_and_a_refusal_says_why_in_polish(client, sent):
    referral, token = sent
    refused = client.post(url(token) + "?lang=pl", {"status": "declined", "note": ""})
    assert refused.status_code == 200
    assert TEXT["pl"]["why_declined"] in refused.content.decode()
    response = client.post(url(token) + "?lang=pl", {"status": "accepted", "note": "Łóżko 4."})
    assert response["Location"].endswith("?lang=pl&answered=1")
    done = client.get(response["Location"]).content.decode()
    assert "Dziękujemy: odpowiedź została wysłana do: Riverside" in done
    referral.refresh_from_db()
    assert referral.status == "accepted" and referral.answer == "Łóżko 4."


def test_a_link_that_does_not_work_says_so_in_the_browser_language(client, cast):
    response = client.get(url("x" * 43), HTTP_ACCEPT_LANGUAGE="zh-CN")
    assert response.status_code == 404
    assert TEXT["zh-hans"]["gone_title"] in response.content.decode()
