"""Every word of the status page exists in all five languages, and every court, custody, claim
and referral value the other apps define has its plain-language words."""

import pytest

from haven.compensation.models import ClaimStatus
from haven.justice.models import CourtEventKind, CustodyEventKind
from haven.portal import words
from haven.portal.texts import LANGUAGES, TEXT, page_language
from haven.referrals.models import ReferralStatus


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_text_is_in_every_language(language):
    assert set(TEXT[language]) == set(TEXT["en"])
    for key, text in TEXT[language].items():
        assert text.count("{") == TEXT["en"][key].count("{"), (language, key)


@pytest.mark.parametrize(
    ("table", "values"),
    [
        (words.COURT_EVENT, CourtEventKind.values),
        (words.CUSTODY_EVENT, CustodyEventKind.values),
        (words.CLAIM_STATUS, ClaimStatus.values),
        (words.REFERRAL_STATUS, ReferralStatus.values),
    ],
)
def test_every_value_has_words_in_five_languages(table, values):
    assert set(values) <= set(table)
    assert all(len(row) == len(LANGUAGES) and all(row) for row in table.values())


def test_a_persons_stored_language_maps_to_the_pages():
    assert page_language("zh") == "zh-hans"
    assert page_language("vi") == "en"  # a language without a page reads English
    assert page_language(None) == "en"
