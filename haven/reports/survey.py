"""The survey's questions, as data (data/survey.json), in the languages Haven writes to victims
in: English, Spanish, Polish, Chinese and Arabic. Other languages fall back to English."""

import json
from functools import cache
from pathlib import Path

ANSWERS = ("", "yes", "partly", "no")
RTL = {"ar"}


@cache
def texts() -> dict:
    with open(Path(__file__).parent / "data" / "survey.json", encoding="utf-8") as handle:
        return json.load(handle)


def language_for(code: str) -> str:
    return code if code in texts()["languages"] else "en"


def questions(language: str) -> dict:
    """The texts of one language, with the answer choices as (value, label) pairs."""
    found = dict(texts()["languages"][language_for(language)])
    found["overall_pairs"] = list(zip(range(1, 6), found["overall_choices"], strict=True))
    found["ynp_pairs"] = list(zip(ANSWERS[1:], found["yes_partly_no"], strict=True))
    found["code"] = language_for(language)
    found["dir"] = "rtl" if found["code"] in RTL else "ltr"
    return found
