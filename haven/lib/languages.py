"""The staff interface's languages (docs/translation.md).

Which languages a member may choose is read from the catalogues on disk: a language is offered
when `haven/locale/<code>/LC_MESSAGES/django.po` exists, so adding one is a catalogue file and
no code. English, the language the code is written in, is always offered.

Text Haven stores (timeline lines, notes it writes, emails kept for the record) is written in
English whatever the member's language, so every reader, export and court record sees the same
words: build such text inside `stored_in_english()`.
"""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

from django.conf.locale import LANG_INFO
from django.utils import translation

ENGLISH = "en"


def catalogue_languages(locale_dir: Path) -> list[tuple[str, str]]:
    """(code, name) for English and every language with a catalogue under `locale_dir`, the
    name in the language itself (a member finds their own language in a list in another)."""
    found = [(ENGLISH, "English")]
    if locale_dir.is_dir():
        for po in sorted(locale_dir.glob("*/LC_MESSAGES/django.po")):
            code = translation.to_language(po.parent.parent.name)
            if code == ENGLISH:
                continue
            info = LANG_INFO.get(code) or LANG_INFO.get(code.split("-")[0], {})
            found.append((code, info.get("name_local", code)))
    return found


@contextmanager
def stored_in_english():
    """Text built inside is English. A context manager, or a decorator on a function that
    builds text to store (`@stored_in_english()`); nests, and restores the language after."""
    with translation.override(ENGLISH):
        yield


def in_english(make) -> str:
    """`make()` in English, for a label that goes into stored text:
    `f"{in_english(followup.get_kind_display)} skipped"`."""
    with stored_in_english():
        return str(make())
