"""Demo people: victims, their families and witnesses, with names drawn from Faker once per
locale (romanized for Chinese and Arabic, as US reports carry them), the languages and
backgrounds a city unit serves, and contact points whose safe-contact rules vary (voicemail,
texts, safe hours, an address the offender knows). Phones are in the 555-01xx fiction range,
emails at example.org. Rows are made for bulk insert (haven/lib/bulkrows.py)."""

from __future__ import annotations

import random
import unicodedata
from datetime import datetime, timedelta
from datetime import time as clock

from faker import Faker

from haven.core.demo import DemoContext, Rows
from haven.lib.bulkrows import Weighted, new_row
from haven.lib.crypto import normalize_email
from haven.people.indexes import person_indexes
from haven.people.models import ContactKind, ContactPoint, Person
from haven.people.services import contact_value_index

LANGUAGES = Weighted([("en", 78), ("es", 15), ("pl", 3), ("zh", 2), ("ar", 2)])
RACE = Weighted(
    [
        ("black", 36),
        ("white", 24),
        ("hispanic", 22),
        ("asian", 5),
        ("multiple", 3),
        ("american_indian", 1),
        ("pacific_islander", 0.5),
        ("other", 2),
        ("not_reported", 6.5),
    ]
)
RACE_BY_LANGUAGE = {
    "es": Weighted([("hispanic", 92), ("multiple", 3), ("not_reported", 5)]),
    "pl": Weighted([("white", 95), ("not_reported", 5)]),
    "zh": Weighted([("asian", 95), ("not_reported", 5)]),
    "ar": Weighted([("white", 45), ("other", 45), ("not_reported", 10)]),
}
# Romanized names: Faker's zh and ar locales write names in their own scripts, while US
# police reports and case files carry them in Latin letters.
ROMANIZED = {
    "zh": {
        "female": ("Mei", "Xiu Ying", "Li Na", "Jing", "Hui", "Yan", "Xiao Ling", "Fang", "Lan"),
        "male": ("Wei", "Jian", "Hao", "Jun", "Ming", "Lei", "Qiang", "Tao", "Zhi Wei"),
        "last": (
            "Wang",
            "Li",
            "Zhang",
            "Liu",
            "Chen",
            "Yang",
            "Huang",
            "Zhao",
            "Wu",
            "Zhou",
            "Xu",
            "Lin",
        ),
    },
    "ar": {
        "female": ("Fatima", "Layla", "Mariam", "Noor", "Aisha", "Huda", "Rania", "Salma"),
        "male": ("Omar", "Ahmed", "Yousef", "Khalid", "Hassan", "Karim", "Samir", "Tariq"),
        "last": (
            "Haddad",
            "Khalil",
            "Mansour",
            "Nasser",
            "Saleh",
            "Hamdan",
            "Darwish",
            "Aziz",
            "Farah",
        ),
    },
}

SAFETY_NOTES = (
    "Partner checks this phone in the evenings; call only in the safe hours.",
    "Do not leave details in a voicemail.",
    "Shared family phone; ask for her by first name only.",
)
ADDRESS_NOTE = "Offender knows this address; do not send mail here."


def ascii_slug(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if ch.isascii() and ch.isalnum())


class NamePools:
    """Names drawn once from Faker per locale, then picked from: much faster than a Faker
    call per person, and just as deterministic for a given seed."""

    LOCALES = {"en": "en_US", "es": "es_MX", "pl": "pl_PL"}
    SIZES = {"en": (300, 300, 700), "es": (150, 150, 400), "pl": (80, 80, 200)}

    def __init__(self, seed: int):
        self.pools: dict[str, dict[str, tuple[str, ...]]] = {}
        for language, locale in self.LOCALES.items():
            fake = Faker(locale)
            fake.seed_instance(seed)
            female, male, last = self.SIZES[language]
            self.pools[language] = {
                "female": tuple({fake.first_name_female() for _ in range(female)}),
                "male": tuple({fake.first_name_male() for _ in range(male)}),
                "last": tuple({fake.last_name() for _ in range(last)}),
            }
        self.pools.update({language: dict(pool) for language, pool in ROMANIZED.items()})
        fake = Faker("en_US")
        fake.seed_instance(seed)
        self.streets = tuple(fake.street_address() for _ in range(300))
        for pool in self.pools.values():
            for key in pool:
                pool[key] = tuple(sorted(pool[key]))  # sets have no stable order

    def first(self, rng: random.Random, language: str, gender: str) -> str:
        return rng.choice(self.pools[language]["male" if gender == "male" else "female"])

    def last(self, rng: random.Random, language: str) -> str:
        return rng.choice(self.pools[language]["last"])


# long: one person's draws from the seeded Random, in order
def person_row(
    ctx: DemoContext,
    rows: Rows,
    *,
    at: datetime,
    gender: str,
    age: int | None,
    language: str | None = None,
    last_name: str = "",
    known_dob: float = 0.85,
) -> Person:
    rng = ctx.rng
    language = language or LANGUAGES.pick(rng)
    name_language = "es" if language == "en" and rng.random() < 0.1 else language
    first = ctx.names.first(rng, name_language, gender)
    last = last_name or ctx.names.last(rng, name_language)
    dob = None
    age_reported = None
    if age is not None and rng.random() < known_dob:
        dob = at.astimezone(ctx.tz).date() - timedelta(days=age * 365 + rng.randint(0, 364))
    elif age is not None and rng.random() < 0.5:
        age_reported = age
    interpreter = language != "en" and rng.random() < 0.6
    classifications = []
    if interpreter:
        classifications.append("lep")
    if language != "en" and rng.random() < 0.3:
        classifications.append("immigrant")
    for code, chance in (
        ("disability", 0.04),
        ("homeless", 0.03),
        ("lgbtq", 0.04),
        ("veteran", 0.02),
        ("deaf", 0.005),
    ):
        if rng.random() < chance:
            classifications.append(code)
    race = RACE_BY_LANGUAGE.get(name_language, RACE).pick(rng)
    if gender == "other":
        pronouns = "they/them"
    elif rng.random() < 0.2:
        pronouns = "she/her" if gender == "female" else "he/him"
    else:
        pronouns = ""
    person = new_row(
        Person,
        agency_id=ctx.agency.pk,
        first_name=first,
        last_name=last,
        preferred_name=first.split()[0] if " " in first and rng.random() < 0.5 else "",
        pronouns=pronouns,
        date_of_birth=dob,
        age_reported=age_reported,
        preferred_language=language,
        interpreter_needed=interpreter,
        race_ethnicity=race,
        gender_identity=gender if rng.random() < 0.95 else "not_reported",
        special_classifications=classifications,
        **person_indexes(first, last, dob),
        created_at=at,
        updated_at=at,
    )
    rows.persons.append(person)
    return person


def phone_number(ctx: DemoContext) -> str:
    # 555-0100 to 555-0199 is the range set aside for fiction.
    return f"+1{ctx.rng.choice(ctx.profile.area_codes)}55501{ctx.rng.randint(0, 99):02d}"


def contact_point_row(
    ctx: DemoContext, rows: Rows, person: Person, kind: str, value: str, at: datetime, **flags
) -> ContactPoint:
    point = new_row(
        ContactPoint,
        agency_id=ctx.agency.pk,
        person=person,
        kind=kind,
        value=value,
        value_index=contact_value_index(kind, value),
        created_at=at,
        **flags,
    )
    rows.points.append(point)
    return point


# long: one draw sequence per contact point from the seeded Random, in order (determinism)
def contact_points_rows(
    ctx: DemoContext, rows: Rows, person: Person, *, at: datetime, dv: bool, victim: bool
) -> ContactPoint | None:
    """The person's phones, email and address with varied safe-contact rules; returns
    the primary phone (None when the report gave no phone)."""
    rng = ctx.rng
    primary = None
    if rng.random() < (0.93 if victim else 0.5):
        safe_hours = dv and rng.random() < 0.25
        primary = contact_point_row(
            ctx,
            rows,
            person,
            ContactKind.PHONE,
            phone_number(
                ctx,
            ),
            at,
            label="mobile",
            is_primary=True,
            ok_voicemail=rng.random() < (0.3 if dv else 0.7),
            ok_text=rng.random() < (0.4 if dv else 0.65),
            safe_from=clock(rng.choice((9, 10)), 0) if safe_hours else None,
            safe_until=clock(rng.choice((15, 16)), 0) if safe_hours else None,
            safety_note=rng.choice(SAFETY_NOTES) if safe_hours else "",
        )
    if not victim:
        return primary
    if rng.random() < 0.12:
        label = rng.choice(("home", "work", "a friend's phone", "sister's phone"))
        contact_point_row(
            ctx,
            rows,
            person,
            ContactKind.PHONE,
            phone_number(
                ctx,
            ),
            at,
            label=label,
            ok_to_contact=label != "work" or rng.random() < 0.5,
            ok_voicemail=label == "work" and rng.random() < 0.5,
        )
    if rng.random() < 0.3:
        local = f"{ascii_slug(person.first_name)}.{ascii_slug(person.last_name)}"
        email = normalize_email(f"{local}{rng.randint(1, 99)}@example.org")
        contact_point_row(
            ctx,
            rows,
            person,
            ContactKind.EMAIL,
            email,
            at,
            label="personal",
            is_primary=True,
            ok_mail=rng.random() < 0.7,
        )
    if rng.random() < 0.45:
        p = ctx.profile
        address = (
            f"{rng.choice(ctx.names.streets)}\n{p.city}, {p.state} "
            f"{p.zip_prefix}{rng.randint(0, 99):02d}"
        )
        unsafe = dv and rng.random() < 0.3
        contact_point_row(
            ctx,
            rows,
            person,
            ContactKind.ADDRESS,
            address,
            at,
            label="home",
            is_primary=True,
            ok_mail=not unsafe and rng.random() < 0.6,
            safety_note=ADDRESS_NOTE if unsafe else "",
        )
    return primary
