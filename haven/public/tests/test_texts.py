"""Every fixed text of the help page exists in every language, with the same placeholders, and
the rights explain every section the rules data cite."""

import json
import re
import string
from pathlib import Path

import pytest

from haven.core.quick_exit import TEXT as QUICK_EXIT
from haven.public.texts import CODES, NAMES_IN, TABLES, rights, steps

FIELDS = re.compile(r"\{(\w+)\}")


def _placeholders(value) -> set[str]:
    if isinstance(value, list):
        return set()
    return {name for _, name, _, _ in string.Formatter().parse(value) if name}


@pytest.mark.parametrize("table", sorted(TABLES))
@pytest.mark.parametrize("language", CODES)
def test_every_key_exists_in_every_language_with_the_same_placeholders(table, language):
    english, other = TABLES[table]["en"], TABLES[table][language]
    assert set(other) == set(english), set(english) ^ set(other)
    for key, value in english.items():
        assert other[key], f"{table}.{key} is empty in {language}"
        assert _placeholders(other[key]) == _placeholders(value), (table, key, language)
        assert type(other[key]) is type(value), (table, key, language)


@pytest.mark.parametrize("language", CODES)
def test_a_translation_is_not_the_english_text(language):
    if language == "en":
        return
    for table in ("rights", "steps"):
        same = [k for k, v in TABLES[table][language].items() if v == TABLES[table]["en"][k]]
        assert not same, f"{table} in {language} still English: {same}"


def test_the_lists_name_only_texts_that_exist_and_the_languages_are_named_in_each():
    for key in [*rights.ILLINOIS, *rights.FEDERAL]:
        assert key in rights.TEXT["en"]
    for key in [*steps.SERVICES, *steps.STEPS]:
        assert key in steps.TEXT["en"]
    assert set(rights.TEXT["en"]) == {*rights.ILLINOIS, *rights.FEDERAL}
    for language in CODES:
        assert set(NAMES_IN[language]) == set(CODES)
        assert len(TABLES["ui"][language]["weekdays"]) == 7
        assert QUICK_EXIT[language]["label"] and QUICK_EXIT[language]["hint"]


def _sections(citation: str) -> set[str]:
    """'Ill. Const. art. I, §8.1(a)(5) and (a)(9); 725 ILCS 120/4(a)(5) and 120/4.5(b)' ->
    {'§8.1(a)(5)', '§8.1(a)(9)', '4.5(b)'} (the sections the public page must explain; 120/4(a)
    restates the constitution's list), and 3771(a)(n) for the CVRA."""
    found = set()
    for part in citation.split(";"):
        part = part.strip()
        if part.startswith("Ill. Const."):
            found |= {f"§8.1(a)({n})" for n in re.findall(r"\(a\)\((\d+)\)", part)}
        elif part.startswith("725 ILCS"):
            found |= {f"4.5({s})" for s in re.findall(r"4\.5\(([\w-]+)\)", part)}
        elif part.startswith("18 U.S.C."):
            found |= {f"3771(a)({n})" for n in re.findall(r"\(a\)\((\d+)\)", part)}
    return found


def test_every_section_the_rights_rules_cite_is_explained_on_the_page():
    rules_dir = Path(__file__).resolve().parents[2] / "justice" / "rules"
    cited = set()
    for path in rules_dir.glob("*.json"):
        for rule in json.loads(path.read_text())["rules"]:
            cited |= _sections(rule["citation"])
    explained = set()
    for laws in [*rights.ILLINOIS.values(), *rights.FEDERAL.values()]:
        explained |= _sections("; ".join(laws))
    assert cited, "no citations read from the rules data"
    assert cited <= explained, sorted(cited - explained)
    # All twelve constitutional rights and all ten federal ones are there, not only those.
    assert {f"§8.1(a)({n})" for n in range(1, 13)} <= explained
    assert {f"3771(a)({n})" for n in range(1, 11)} <= explained
