"""The quick exit on every public and victim page (issue 14): its default neutral site and its
words in the five languages victims read. The button and the Escape key replace the page, and
its entry in the browser's history, with the agency's neutral site
(haven/templates/includes/quick_exit.html, haven/static/haven/quick_exit.js)."""

# A page that says nothing about the person who opened it; the agency may choose another
# (Agency.quick_exit_url, set on the public help page settings).
QUICK_EXIT_DEFAULT = "https://www.google.com/search?q=weather"

TEXT = {
    "en": {"label": "Quick exit", "hint": "Leave this site now. Or press Esc."},
    "es": {"label": "Salida rápida", "hint": "Salga de este sitio ahora. O pulse Esc."},
    "pl": {"label": "Szybkie wyjście", "hint": "Opuść tę stronę teraz. Lub naciśnij Esc."},
    "zh-hans": {"label": "快速离开", "hint": "立即离开本网站，或按 Esc 键。"},
    "ar": {"label": "خروج سريع", "hint": "غادر هذا الموقع الآن، أو اضغط على مفتاح Esc."},
}
# Haven stores Chinese as "zh" on a person and a message; the public pages say "zh-hans".
ALIASES = {"zh": "zh-hans", "zh-hant": "zh-hans", "en-us": "en"}


def quick_exit_text(language: str | None) -> dict[str, str]:
    """The label and hint in `language`, or in English for any other."""
    code = (language or "en").lower()
    return TEXT.get(ALIASES.get(code, code), TEXT["en"])
