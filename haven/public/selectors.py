"""What the public help page shows (/help/<agency slug>/<language>/): everything from data the
unit already keeps, in the reader's language. No sign-in: nothing here reads a case or a
person. Callers run inside the agency's scope (views.help_page)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from haven.agencies.models import Agency, ServiceHours
from haven.compensation.programs import program
from haven.lib.accept_language import negotiate as accept_language_negotiate
from haven.oncall.models import Coverage
from haven.oncall.selectors import phone_and_tel
from haven.oncall.selectors import settings_for as oncall_settings
from haven.partners.selectors import organizations_listed_publicly
from haven.public.hours import hour_lines
from haven.public.models import HelpPageSettings, HelpPageText
from haven.public.texts import CODES, LANGUAGES, NAMES_IN, rights, steps, text

FALLBACK = "en"
# The compensation program the page explains (haven/compensation/programs/<code>.json).
PROGRAM = "illinois"


@dataclass(frozen=True)
class Availability:
    when: str
    phone: str
    tel: str


@dataclass(frozen=True)
class ServiceRow:
    key: str
    name: str
    times: list[Availability]


@dataclass(frozen=True)
class OwnText:
    """A section the unit writes. `missing`: not written in this language; the English is
    shown (lang="en") with the notice."""

    body: str
    missing: bool
    notice: str = ""


@dataclass(frozen=True)
class Right:
    text: str
    law: str


@dataclass
class HelpPage:
    agency: Agency
    language: str
    lang: str  # the html lang attribute
    rtl: bool
    t: dict  # the fixed texts (texts.text)
    languages: list[dict] = field(default_factory=list)
    services: list[ServiceRow] = field(default_factory=list)
    hours: list[str] = field(default_factory=list)
    partners: list = field(default_factory=list)
    rights_illinois: list[Right] = field(default_factory=list)
    rights_federal: list[Right] = field(default_factory=list)
    steps: list[str] = field(default_factory=list)
    compensation: list[str] = field(default_factory=list)
    hotlines: list[dict] = field(default_factory=list)
    unit_phone: str = ""
    unit_tel: str = ""
    about: OwnText | None = None
    reach: OwnText | None = None


def public_agency(slug: str) -> Agency | None:
    """The active agency with this slug, or None (a suspended agency has no public page)."""
    return Agency.objects.filter(slug=slug, is_active=True).first()


def negotiate(accept_language: str) -> str:
    """The first of the five languages the browser asks for (Accept-Language, by weight), or
    English. Any Chinese gets the simplified Chinese page, the only one there is."""
    return accept_language_negotiate(accept_language, CODES, FALLBACK)


def page_settings(agency: Agency) -> HelpPageSettings:
    return HelpPageSettings.objects.filter(agency=agency).first() or HelpPageSettings(agency=agency)


def own_texts(agency: Agency) -> dict[str, HelpPageText]:
    return {row.language: row for row in HelpPageText.objects.filter(agency=agency)}


def _own(rows: dict[str, HelpPageText], name: str, language: str, ui: dict) -> OwnText | None:
    here = getattr(rows.get(language), name, "").strip()
    if here:
        return OwnText(here, missing=False)
    english = getattr(rows.get(FALLBACK), name, "").strip()
    if not english:
        return None
    notice = ui["missing"].format(language=NAMES_IN[language][language])
    return OwnText(english, missing=True, notice=notice)


def _hours(agency: Agency) -> dict[int, list]:
    spans: dict[int, list] = {}
    for row in ServiceHours.objects.filter(agency=agency).order_by("weekday", "opens"):
        spans.setdefault(row.weekday, []).append((row.opens, row.closes))
    return spans


def _services(agency: Agency, chosen: list[str], t: dict, has_hours: bool) -> list[ServiceRow]:
    ui, words = t["ui"], t["steps"]
    unit_phone, unit_tel = phone_and_tel(agency.phone)
    office = ui["office_hours"] if has_hours else ui["no_hours"]
    on_call = oncall_settings(agency)
    hotline, hotline_tel = phone_and_tel(on_call.hotline)
    rows = []
    for key in steps.SERVICES:
        if key not in chosen:
            continue
        if key == "crisis" and on_call.coverage == Coverage.ALWAYS:
            times = [Availability(ui["always"], unit_phone, unit_tel)]
        elif key == "crisis" and hotline:
            times = [
                Availability(office, unit_phone, unit_tel),
                Availability(ui["always"], hotline, hotline_tel),
            ]
        elif key == "court":
            times = [Availability(ui["appointment"], unit_phone, unit_tel)]
        else:
            times = [Availability(office, unit_phone, unit_tel)]
        rows.append(ServiceRow(key, words[key], times))
    return rows


def _compensation(agency: Agency, words: dict) -> list[str]:
    prog = program(PROGRAM)
    rules = prog.rules_on(timezone.now().astimezone(agency.tz).date())
    values = {
        "years": rules.filing_years_from_crime,
        "charge_years": rules.filing_years_from_charge,
        "report_days": rules.report_hours // 24,
        "sex_days": rules.report_hours_sex_offense // 24,
        "maximum": f"${rules.maximum_award:,.0f}",
        "phone": prog.phone,
    }
    keys = ("comp_intro", "comp_who", "comp_when", "comp_report", "comp_max", "comp_line")
    return [words[key].format(**values) for key in keys]


def help_page(agency: Agency, language: str) -> HelpPage:
    """The whole page in `language` (one of texts.CODES)."""
    t = text(language)
    ui = t["ui"]
    meta = LANGUAGES[language]
    spans = _hours(agency)
    rows = own_texts(agency)
    unit_phone, unit_tel = phone_and_tel(agency.phone)
    return HelpPage(
        agency=agency,
        language=language,
        lang=meta["lang"],
        rtl=meta["dir"] == "rtl",
        t=t,
        languages=[
            {
                "code": code,
                "name": other["name"],
                "lang": other["lang"],
                "url": reverse("public:help_language", args=[agency.slug, code]),
                "current": code == language,
            }
            for code, other in LANGUAGES.items()
        ],
        services=_services(agency, page_settings(agency).services, t, bool(spans)),
        hours=hour_lines(spans, ui),
        partners=list(organizations_listed_publicly(agency)),
        rights_illinois=[
            Right(t["rights"][key], "; ".join(laws)) for key, laws in rights.ILLINOIS.items()
        ],
        rights_federal=[
            Right(t["rights"][key], "; ".join(laws)) for key, laws in rights.FEDERAL.items()
        ],
        steps=[t["steps"][key] for key in steps.STEPS],
        compensation=_compensation(agency, t["steps"]),
        hotlines=agency.hotlines,
        unit_phone=unit_phone,
        unit_tel=unit_tel,
        about=_own(rows, "about", language, ui),
        reach=_own(rows, "reach", language, ui),
    )


# Haven's person languages that name a help page language differently.
_PAGE_LANGUAGE = {"zh": "zh-hans"}
# More runs of office hours than this and the text leaves them to the page.
CARD_HOUR_LINES = 2


def card_facts(agency: Agency, language: str) -> dict:
    """For the officer's card sent as a text (haven.intake.card_text): the absolute address
    of the help page in the victim's language (English when the page has none) and of its
    rights section, and when the unit's phone is answered, in the same language: "24 hours a
    day, 7 days a week" when the on-call roster covers every hour, else the office hours
    ("Monday to Friday: 8:30 AM – 5:00 PM"), "" when there are none or too many to text."""
    code = _PAGE_LANGUAGE.get(language, language)
    if code not in CODES:
        code = FALLBACK
    ui = text(code)["ui"]
    if oncall_settings(agency).coverage == Coverage.ALWAYS:
        hours = ui["always"]
    else:
        lines = hour_lines(_hours(agency), ui)
        hours = "; ".join(lines) if len(lines) <= CARD_HOUR_LINES else ""
    site = settings.SITE_URL.rstrip("/")
    page = site + reverse("public:help_language", args=[agency.slug, code])
    return {"hours": hours, "help_url": page, "rights_url": f"{page}#rights"}
