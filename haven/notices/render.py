"""Turning a template key, a language and facts into a subject, a body and an SMS text.

Templates are files, one per key and language: haven/notices/messages/<key>/<lang>.txt.
The first lines are headers ("subject: ..." and "sms: ..."), then a line "---", then the body,
all in Django template syntax without HTML escaping. A language with no file falls back to
English and the message says so (fell_back). Dates and times in the facts are written in the
agency's time zone, the way the language writes them.
"""

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.template import Context, Engine
from django.utils import formats, timezone, translation

MESSAGES_DIR = Path(__file__).resolve().parent / "messages"
TEMPLATE_KEYS = (
    "court_event_scheduled",
    "court_event_changed",
    "court_event_outcome",
    "custody_event",
    "specialist_assigned",
    "restitution_payment",
    "compensation_status",
    "referral_update",
    "survey_invitation",
    "investigation_status",
    "generic",
    "portal_link",
    "portal_code",
    "victim_card",
)
# Django's locale names for the languages Haven writes in.
_DJANGO_LOCALE = {"zh": "zh-hans"}
# A text message longer than this is cut (two SMS segments of GSM text).
SMS_MAX = 306

_ENGINE = Engine(autoescape=False)

# What a text message may carry, per template: only these facts (plus the agency's and the
# specialist's names) reach the `sms:` line. Free text typed by staff or taken from a feed (a
# court outcome, release conditions, a staff message's body or subject, a next step) never
# does: a text can be read by whoever holds the phone. The email and the letter say more.
SMS_FACTS = {
    "court_event_scheduled": frozenset({"event", "when", "place"}),
    "court_event_changed": frozenset({"event", "when", "previous_when", "place"}),
    "court_event_outcome": frozenset({"event", "when"}),
    "custody_event": frozenset({"event", "when"}),
    "specialist_assigned": frozenset({"specialist", "phone", "email"}),
    "restitution_payment": frozenset({"amount", "when", "balance"}),
    "compensation_status": frozenset({"status", "claim_number"}),
    "referral_update": frozenset({"organization", "service", "status"}),
    "survey_invitation": frozenset({"link"}),
    # Not even the status: whoever holds the phone learns only that there is an update.
    "investigation_status": frozenset(),
    "generic": frozenset(),
    "portal_link": frozenset({"link"}),
    "portal_code": frozenset({"code"}),
    # The officer's card (haven.intake.card_text): the unit's phone and hours, two links to its
    # public help page. Nothing of the case, not even its number.
    "victim_card": frozenset({"phone", "hours", "help_url", "rights_url"}),
}
SMS_EXTRA = frozenset({"agency", "specialist"})

# The line under every email and SMS with the person's own link to stop messages.
OPT_OUT_LINE = {
    "en": ("To stop these messages: {url}", "Stop: {url}"),
    "es": ("Para dejar de recibir estos mensajes: {url}", "Cancelar: {url}"),
    "pl": ("Aby zrezygnować z tych wiadomości: {url}", "Rezygnacja: {url}"),
    "zh": ("如需停止接收这些消息：{url}", "退订：{url}"),
    "ar": ("لإيقاف هذه الرسائل: {url}", "للإيقاف: {url}"),
}
_AT = {"en": "at", "es": "a las", "pl": "godz.", "zh": "", "ar": "الساعة"}


@dataclass(frozen=True)
class Rendered:
    language: str
    fell_back: bool
    subject: str
    sms: str
    body: str


def template_path(key: str, language: str) -> Path:
    return MESSAGES_DIR / key / f"{language}.txt"


def format_moment(value, language: str, tz: ZoneInfo) -> str:
    """A date or a date and time, written the way the language writes it, in the agency's
    time zone: "Tuesday, March 10, 2026 at 2:30 p.m.", "martes, 10 de marzo de 2026 a las 14:30",
    "2026年3月10日（星期二）14:30"."""
    locale = _DJANGO_LOCALE.get(language, language)
    with translation.override(locale):
        if isinstance(value, datetime):
            if timezone.is_naive(value):
                value = timezone.make_aware(value, tz)
            value = timezone.localtime(value, tz)
        weekday = formats.date_format(value, "l")
        day = formats.date_format(value, "DATE_FORMAT")
        if language in ("es", "pl"):
            weekday = weekday.lower()
        text = f"{day}（{weekday}）" if language == "zh" else f"{weekday}, {day}"
        if isinstance(value, datetime):
            clock = formats.time_format(value, "TIME_FORMAT")
            at = _AT.get(language, "")
            text = (
                f"{text} {clock}" if language == "zh" else f"{text} {at} {clock}".replace("  ", " ")
            )
    return text


# Facts the message row never keeps in clear: a link's secret (a survey link answers as the
# victim), a one-time code (haven.portal) and a specialist's own words. They live only in the
# rendered subject and body, which are encrypted.
NOT_KEPT = frozenset({"link", "code", "subject", "body"})


def plain_facts(facts: dict) -> dict:
    """The facts as JSON can keep them (dates as ISO text), for the message row; NOT_KEPT
    ones are left out."""
    out = {}
    for name, value in facts.items():
        if name in NOT_KEPT:
            continue
        if isinstance(value, date):
            value = value.isoformat()
        elif value is not None and not isinstance(value, (str, int, float, bool, list, dict)):
            value = str(value)  # a Decimal amount, a lazy label
        out[str(name)] = value
    return out


def render(*, key: str, language: str, facts: dict, tz: ZoneInfo, extra: dict) -> Rendered:
    if key not in TEMPLATE_KEYS:
        raise ValidationError(f"There is no message template {key!r}.")
    fell_back = False
    path = template_path(key, language)
    if not path.exists():
        fell_back, language = True, "en"
        path = template_path(key, "en")
    headers, _, body = path.read_text(encoding="utf-8").partition("\n---\n")
    context = dict(extra)
    for name, value in facts.items():
        context[name] = format_moment(value, language, tz) if isinstance(value, date) else value
    fields = {}
    for line in headers.splitlines():
        name, _, text = line.partition(":")
        fields[name.strip()] = text.strip()
    # Messages are plain text: never HTML-escaped (O'Neil, "9 & bring <ID>" stay as written).
    ctx = Context(context, autoescape=False)

    def fill(text: str) -> str:
        return _ENGINE.from_string(text).render(ctx).strip()

    subject = fill(fields.get("subject", ""))
    allowed = SMS_FACTS[key]
    sms_context = {k: v for k, v in extra.items() if k in SMS_EXTRA}
    sms_context |= {k: v for k, v in context.items() if k in allowed}
    sms = (
        _ENGINE.from_string(fields.get("sms", ""))
        .render(Context(sms_context, autoescape=False))
        .strip()
    )
    body_text = fill(body)
    # Collapse the blank lines left by {% if %} blocks.
    lines, blank = [], False
    for line in body_text.splitlines():
        if line.strip():
            lines.append(line.rstrip())
            blank = False
        elif not blank:
            lines.append("")
            blank = True
    return Rendered(
        language=language,
        fell_back=fell_back,
        subject=subject[:200],
        sms=sms[:SMS_MAX],
        body="\n".join(lines).strip(),
    )


def opt_out_lines(language: str, url: str) -> tuple[str, str]:
    """The (email, SMS) opt-out line in the language."""
    long, short = OPT_OUT_LINE.get(language, OPT_OUT_LINE["en"])
    return long.format(url=url), short.format(url=url)
