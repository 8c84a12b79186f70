"""The sections of a safety plan, as victim specialists structure one, with the prompts they
work through, and the printed page's headings in the languages Haven can print them in.

Section keys are stable: they are stored in every revision's content and named in the audit
log. Never reuse a key for another meaning; add a section by adding a key.

Django's translation catalogues are not set up in Haven (the staff pages are in English), so
the printed headings live here, one dictionary per language. A language without one prints in
English, and the print page says so to the specialist (never on the paper). The text the
specialist wrote is printed as written, in whatever language it was written.
"""

from dataclasses import dataclass

from haven.safety.sections_more import TEXT_MORE

# The order of the form, the plan page and the printed page.
SECTION_KEYS = (
    "warning_signs",
    "safe_places",
    "people_to_call",
    "emergency_bag",
    "children",
    "technology",
    "work_school",
    "protective_orders",
)

FALLBACK = "en"

# Per language: the page's own words, then per section its heading and the prompts a
# specialist works through with the person (shown as hints on the form, printed under the
# heading so the person can keep working on the plan).
TEXT = {
    "en": {
        "title": "Safety plan",
        "for": "For",
        "date": "Date",
        "revision": "Version",
        "unit": "Victim services",
        "call": "Call",
        "emergency": "In an emergency, call 911.",
        "keep_safe": "Keep this plan where only you, or someone you trust, can find it.",
        "empty": "Nothing written yet.",
        "sections": {
            "warning_signs": (
                "Warning signs",
                (
                    "What tells you things are getting dangerous: words, moods, drinking or "
                    "drugs, times of day, days of the month?",
                    "What will you do when you notice them?",
                ),
            ),
            "safe_places": (
                "Safe places to go",
                (
                    "Where can you go if you need to leave quickly, by day and by night?",
                    "Which rooms at home are safer (a way out, no weapons, a phone)? How will "
                    "you get out, and to where?",
                ),
            ),
            "people_to_call": (
                "People to call",
                (
                    "Who can you call, and at what numbers? Who will let you stay with them?",
                    "A code word or sign that means “call the police” or “come and get me”, "
                    "and who knows it.",
                ),
            ),
            "emergency_bag": (
                "Emergency bag and documents",
                (
                    "IDs, birth certificates, passports and immigration papers, medicines, "
                    "keys, money and cards, a charger, copies of court papers.",
                    "Where will the bag be kept, or with whom?",
                ),
            ),
            "children": (
                "Children",
                (
                    "What will the children do when danger starts: where do they go, whom do "
                    "they call?",
                    "Who may pick them up from school or day care, and who may not?",
                ),
            ),
            "technology": (
                "Technology and phone safety",
                (
                    "Location sharing, shared accounts and passwords, devices the other person "
                    "gave you or can reach.",
                    "A safe phone or number; social media settings; what not to post.",
                ),
            ),
            "work_school": (
                "Work or school",
                (
                    "Who there knows and can help (security, a supervisor, a teacher)?",
                    "Screening calls and visitors, a different route or schedule, a photo of the "
                    "other person for security.",
                ),
            ),
            "protective_orders": (
                "Protective orders",
                (
                    "Is there an order: which kind, its number, when it ends? Where are copies "
                    "kept?",
                    "If it is broken: call 911, write down the time and what happened, keep "
                    "messages.",
                ),
            ),
        },
    },
    "es": {
        "title": "Plan de seguridad",
        "for": "Para",
        "date": "Fecha",
        "revision": "Versión",
        "unit": "Servicios a víctimas",
        "call": "Llame al",
        "emergency": "En una emergencia, llame al 911.",
        "keep_safe": "Guarde este plan donde solo usted, o alguien de su confianza, lo encuentre.",
        "empty": "Aún no hay nada escrito.",
        "sections": {
            "warning_signs": (
                "Señales de alerta",
                (
                    "¿Qué le indica que la situación se vuelve peligrosa: palabras, estados de "
                    "ánimo, alcohol o drogas, horas del día, días del mes?",
                    "¿Qué hará cuando las note?",
                ),
            ),
            "safe_places": (
                "Lugares seguros adonde ir",
                (
                    "¿Adónde puede ir si necesita salir rápido, de día y de noche?",
                    "¿Qué cuartos de la casa son más seguros (una salida, sin armas, un "
                    "teléfono)? ¿Cómo saldrá y hacia dónde?",
                ),
            ),
            "people_to_call": (
                "Personas a quienes llamar",
                (
                    "¿A quién puede llamar y a qué números? ¿Quién le dejaría quedarse en su casa?",
                    "Una palabra clave o señal que signifique “llama a la policía” o “ven a "
                    "buscarme”, y quién la conoce.",
                ),
            ),
            "emergency_bag": (
                "Bolsa de emergencia y documentos",
                (
                    "Identificaciones, actas de nacimiento, pasaportes y papeles de inmigración, "
                    "medicinas, llaves, dinero y tarjetas, un cargador, copias de los papeles "
                    "del tribunal.",
                    "¿Dónde se guardará la bolsa, o con quién?",
                ),
            ),
            "children": (
                "Niños",
                (
                    "¿Qué harán los niños cuando empiece el peligro: adónde van, a quién llaman?",
                    "¿Quién puede recogerlos de la escuela o la guardería, y quién no?",
                ),
            ),
            "technology": (
                "Tecnología y seguridad del teléfono",
                (
                    "Ubicación compartida, cuentas y contraseñas compartidas, aparatos que la "
                    "otra persona le dio o a los que tiene acceso.",
                    "Un teléfono o número seguro; la privacidad en las redes sociales; qué no "
                    "publicar.",
                ),
            ),
            "work_school": (
                "Trabajo o escuela",
                (
                    "¿Quién allí lo sabe y puede ayudar (seguridad, un supervisor, un maestro)?",
                    "Filtrar llamadas y visitas, otra ruta u otro horario, una foto de la otra "
                    "persona para el personal de seguridad.",
                ),
            ),
            "protective_orders": (
                "Órdenes de protección",
                (
                    "¿Hay una orden: de qué tipo, su número, cuándo vence? ¿Dónde se guardan las "
                    "copias?",
                    "Si no la cumplen: llame al 911, anote la hora y lo que pasó, guarde los "
                    "mensajes.",
                ),
            ),
        },
    },
}


TEXT |= TEXT_MORE  # Polish, Chinese and Arabic (sections_more.py)
RTL = frozenset({"ar"})


@dataclass(frozen=True)
class Section:
    key: str
    heading: str
    prompts: tuple[str, ...]


@dataclass(frozen=True)
class PrintedText:
    """What the printed page says in one language: its own words and the sections."""

    language: str  # the language actually used (the fallback when the asked one has no text)
    asked: str  # the language asked for
    words: dict[str, str]
    sections: tuple[Section, ...]

    @property
    def fell_back(self) -> bool:
        return self.language != self.asked

    @property
    def rtl(self) -> bool:
        return self.language in RTL


def printable_languages() -> tuple[str, ...]:
    return tuple(TEXT)


def text_in(language: str) -> PrintedText:
    """The printed page's words and section headings in `language`, or in English when Haven
    has none in that language (`fell_back` then says so)."""
    used = language if language in TEXT else FALLBACK
    text = TEXT[used]
    words = {k: v for k, v in text.items() if k != "sections"}
    sections = tuple(Section(key, *text["sections"][key]) for key in SECTION_KEYS)
    return PrintedText(language=used, asked=language, words=words, sections=sections)


def sections() -> tuple[Section, ...]:
    """The sections in English, for the staff pages."""
    return text_in(FALLBACK).sections


def heading(key: str) -> str:
    """A section's English heading, for the history and the timeline."""
    return TEXT[FALLBACK]["sections"][key][0] if key in SECTION_KEYS else key
