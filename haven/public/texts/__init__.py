"""The fixed texts of the public help pages, in the five languages victims read (issue 14):
the page's words (ui), the rights (rights), what to do, the services and compensation (steps).
Every key exists in every language (tests/test_texts.py); nothing falls back to English here.
Only the unit's own words, which the coordinator writes, can be missing in a language; the
page then shows the English and says so.
"""

from haven.public.texts import rights, steps, ui

# Code in the address and in the data -> the page's `lang` attribute, its name, direction.
LANGUAGES = {
    "en": {"lang": "en", "name": "English", "dir": "ltr"},
    "es": {"lang": "es", "name": "Español", "dir": "ltr"},
    "pl": {"lang": "pl", "name": "Polski", "dir": "ltr"},
    "zh-hans": {"lang": "zh-Hans", "name": "中文", "dir": "ltr"},
    "ar": {"lang": "ar", "name": "العربية", "dir": "rtl"},
}
CODES = tuple(LANGUAGES)
# The language names inside a sentence ("not yet available in Spanish"), per page language.
NAMES_IN = {
    "en": {"en": "English", "es": "Spanish", "pl": "Polish", "zh-hans": "Chinese", "ar": "Arabic"},
    "es": {"en": "inglés", "es": "español", "pl": "polaco", "zh-hans": "chino", "ar": "árabe"},
    "pl": {
        "en": "języku angielskim",
        "es": "języku hiszpańskim",
        "pl": "języku polskim",
        "zh-hans": "języku chińskim",
        "ar": "języku arabskim",
    },
    "zh-hans": {
        "en": "英文",
        "es": "西班牙文",
        "pl": "波兰文",
        "zh-hans": "中文",
        "ar": "阿拉伯文",
    },
    "ar": {
        "en": "الإنجليزية",
        "es": "الإسبانية",
        "pl": "البولندية",
        "zh-hans": "الصينية",
        "ar": "العربية",
    },
}
TABLES = {"ui": ui.TEXT, "rights": rights.TEXT, "steps": steps.TEXT}


def text(language: str) -> dict:
    """Every fixed text of the page in `language` (one of CODES), as one dict of dicts."""
    return {name: table[language] for name, table in TABLES.items()}
