"""Synthetic demo data for `manage.py demo`: agencies with staff, people, cases and a year of
casework, written with bulk inserts so ten thousand cases load in well under a minute.

The rows are the ones the services would have written (same case numbers, blind indexes,
timeline events, first-contact times), but without one audit event per row: each agency's
load is one transaction with one DATA_LOAD audit event. Every name, phone number (the
fictional 555-01xx range) and email address (example.org) is made up.

Loading is idempotent by agency slug: an agency that already exists is skipped whole.
"""

from __future__ import annotations

import math
import random
import time
import unicodedata
import zoneinfo
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from datetime import time as clock
from typing import TypeVar

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import models, transaction
from django.db.models.base import ModelState
from django.utils import timezone
from faker import Faker

from haven.agencies.models import Agency, District, Membership, ServiceHours
from haven.agencies.roles import Role
from haven.assistance.models import ServiceProvided
from haven.audit.models import AuditAction
from haven.audit.services import audit_record
from haven.cases.models import (
    Assignment,
    AttemptResult,
    Case,
    CaseEvent,
    CaseEventKind,
    CasePerson,
    CaseSource,
    CaseStatus,
    CaseVictimization,
    Contact,
    ContactChannel,
    ContactDirection,
    ContactOutcome,
    Note,
    NoteVisibility,
    Priority,
    Relation,
    Task,
)
from haven.compensation import demo as compensation_demo
from haven.consent import demo as consent_demo
from haven.core.actor import Actor
from haven.core.scoping import all_agencies
from haven.justice import demo as justice_demo
from haven.lib.crypto import normalize_email
from haven.notices import demo as notices_demo
from haven.outreach.services import outreach_rules_start
from haven.partners import demo as partners_demo
from haven.people.models import ContactKind, ContactPoint, Person
from haven.people.services import contact_value_index, name_dob_index
from haven.referrals import demo as referrals_demo
from haven.reports import demo as reports_demo
from haven.reports.models import SurveyResponse

DEMO_PASSWORD = "haven-demo-2026"
LOADER_LABEL = "manage.py demo"
FIRST_SLUG = "riverside"
# The sign-ins `manage.py demo_signins` prints (other agencies prefix them with their slug).
SIGN_INS: tuple[tuple[str, str], ...] = (
    ("advocate", Role.ADVOCATE),
    ("advocate2", Role.ADVOCATE),
    ("supervisor", Role.SUPERVISOR),
    ("coordinator", Role.COORDINATOR),
    ("officer", Role.OFFICER),
    ("analyst", Role.ANALYST),
    ("auditor", Role.AUDITOR),
)
# Open cases per advocate: a caseload a unit could carry (at most about 40 each).
OPEN_CASES_PER_ADVOCATE = 35
MIN_ADVOCATES = 3
DISTRICTS_PER_AGENCY = 6
BATCH_SIZE = 2000  # rows per INSERT (fewer for wide rows on SQLite, which Django caps)
CHUNK_CASES = 1000  # cases built in memory before they are written
OPENS, CLOSES = clock(8, 30), clock(17)  # the unit's service hours, Monday to Friday
M = TypeVar("M", bound=models.Model)


class DemoError(Exception):
    """The demo cannot be loaded as asked (the command turns it into a CommandError)."""


# --- Agencies ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Profile:
    slug: str
    name: str
    time_zone: str
    city: str
    state: str
    zip_prefix: str
    area_codes: tuple[str, ...]
    districts: tuple[str, ...]


FIRST_AGENCY = Profile(
    slug=FIRST_SLUG,
    name="Riverside Police Department — Office of Victim Services",
    time_zone="America/Chicago",
    city="Riverside",
    state="IL",
    zip_prefix="606",
    area_codes=("312", "773", "872", "708", "630", "847"),
    districts=(
        "Central",
        "Wentworth",
        "Grand Crossing",
        "Englewood",
        "Ogden",
        "Harrison",
        "Near North",
        "Town Hall",
    ),
)
_NEIGHBOURHOODS = (
    "Central",
    "Northside",
    "Eastside",
    "Southside",
    "Westside",
    "Harbor",
    "Airport",
    "University",
    "Riverfront",
    "Hillcrest",
    "Old Town",
    "Midtown",
)
# Further agencies, one per US time zone first; demo-2 gets the first row, and so on.
_OTHER_AGENCIES = (
    (
        "Lakeshore County Sheriff's Office — Victim Services Unit",
        "America/New_York",
        "Lakeshore",
        "NY",
        "146",
        ("585", "716", "315"),
    ),
    (
        "Mesa Verde Police Department — Victim Assistance Unit",
        "America/Denver",
        "Mesa Verde",
        "CO",
        "802",
        ("720", "303"),
    ),
    (
        "Bayview Police Department — Victim Services",
        "America/Los_Angeles",
        "Bayview",
        "CA",
        "945",
        ("415", "510", "925"),
    ),
    (
        "Sonora Valley Police Department — Crime Victim Services",
        "America/Phoenix",
        "Sonora Valley",
        "AZ",
        "852",
        ("602", "480"),
    ),
    ("Kenai Borough Police — Victim Advocacy", "America/Anchorage", "Kenai", "AK", "996", ("907",)),
    (
        "Windward Police Department — Victim Services",
        "Pacific/Honolulu",
        "Windward",
        "HI",
        "967",
        ("808",),
    ),
    (
        "Huron Township Police Department — Victim Services",
        "America/Detroit",
        "Huron",
        "MI",
        "481",
        ("313", "248", "734"),
    ),
    (
        "Prairie County Sheriff's Office — Victim Witness Unit",
        "America/Indiana/Indianapolis",
        "Prairie",
        "IN",
        "462",
        ("317", "765"),
    ),
)


def agency_profile(index: int) -> Profile:
    """The profile of the index-th demo agency (1 is Riverside)."""
    if index == 1:
        return FIRST_AGENCY
    name, tz, city, state, zip_prefix, codes = _OTHER_AGENCIES[(index - 2) % len(_OTHER_AGENCIES)]
    if index - 2 >= len(_OTHER_AGENCIES):
        name = f"{name} ({index})"
    return Profile(f"demo-{index}", name, tz, city, state, zip_prefix, codes, _NEIGHBOURHOODS)


def username_prefix(slug: str) -> str:
    return "" if slug == FIRST_SLUG else f"{slug}-"


# --- Weighted choices and words -----------------------------------------------------------


class Weighted:
    """Values with weights, drawn from a given Random (cumulative weights computed once)."""

    def __init__(self, pairs: Sequence[tuple[object, float]]):
        self.values = [value for value, _ in pairs]
        self.cum: list[float] = []
        total = 0.0
        for _, weight in pairs:
            total += weight
            self.cum.append(total)

    def pick(self, rng: random.Random):
        return rng.choices(self.values, cum_weights=self.cum, k=1)[0]

    def pick_some(self, rng: random.Random, k: int) -> set:
        return set(rng.choices(self.values, cum_weights=self.cum, k=k))


# The PMT sub-services a police-based unit records most (haven/reference/pmt.json codes).
SERVICE_MIX = Weighted(
    [
        ("A1", 20),
        ("A2", 18),
        ("A3", 6),
        ("A4", 8),
        ("B3", 3),
        ("B4", 4),
        ("B9", 1),
        ("B10", 1),
        ("C1", 12),
        ("C2", 3),
        ("C3", 2),
        ("C7", 2),
        ("D1", 1),
        ("D3", 1),
        ("E1", 10),
        ("E2", 2),
        ("E3", 1),
        ("E4", 4),
        ("E10", 3),
        ("E6", 1),
    ]
)
# The seeds' current average: about 70 % satisfied or very satisfied.
SURVEY_OVERALL = Weighted([(5, 38), (4, 32), (3, 14), (2, 9), (1, 7)])
SURVEY_RESPONSE_RATE = 0.3


SOURCES = Weighted(
    [
        (CaseSource.RECORDS_OUTREACH, 55),
        (CaseSource.OFFICER_REFERRAL, 18),
        (CaseSource.HOTLINE, 10),
        (CaseSource.WALK_IN, 7),
        (CaseSource.SELF, 5),
        (CaseSource.PARTNER, 5),
    ]
)
# Sources where the victim reached us: the call or the visit is the first contact.
INBOUND_SOURCES = {CaseSource.HOTLINE, CaseSource.WALK_IN, CaseSource.SELF}
VICTIMIZATIONS = Weighted(
    [
        ("domestic_violence", 30),
        ("adult_physical_assault", 18),
        ("robbery", 8),
        ("adult_sexual_assault", 8),
        ("homicide_survivor", 7),
        ("stalking", 7),
        ("burglary", 3),
        ("identity_theft", 3),
        ("child_physical_abuse", 2),
        ("child_sexual_abuse", 2),
        ("elder_abuse", 2),
        ("other_vehicular", 2),
        ("hate_crime", 1),
        ("trafficking_sex", 1),
        ("teen_dating", 1),
        ("kidnapping_noncustodial", 1),
        ("dui_dwi", 1),
        ("bullying", 0.5),
        ("arson", 0.5),
        ("trafficking_labor", 0.5),
        ("adult_abused_as_child", 0.5),
        ("other", 1),
    ]
)
# A second victimization some cases carry with the first.
ALSO = {
    "domestic_violence": ("stalking", "adult_physical_assault", "adult_sexual_assault"),
    "adult_sexual_assault": ("domestic_violence", "stalking"),
    "stalking": ("domestic_violence",),
    "robbery": ("adult_physical_assault", "identity_theft"),
    "teen_dating": ("stalking", "adult_sexual_assault"),
    "elder_abuse": ("identity_theft",),
}
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
MOSTLY_WOMEN = {
    "domestic_violence",
    "adult_sexual_assault",
    "stalking",
    "teen_dating",
    "trafficking_sex",
    "homicide_survivor",
    "child_sexual_abuse",
}
CHILD_VICTIMS = {
    "child_physical_abuse",
    "child_sexual_abuse",
    "child_pornography",
    "kidnapping_custodial",
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

NARRATIVES = {
    "domestic_violence": (
        "Domestic battery at the victim's residence; the offender, a former partner, was "
        "arrested on scene. {kids}",
        "Victim reports her partner choked her during an argument. Officers completed the "
        "lethality screen. {kids}",
        "Ex-boyfriend forced entry and damaged property; victim has an order of protection "
        "that he violated.",
        "Victim was struck by her husband in front of neighbors; he left before police arrived.",
    ),
    "adult_physical_assault": (
        "Victim was attacked outside a bar in the {district} district and treated at the ER "
        "for a broken jaw.",
        "Aggravated battery: victim was hit with a bottle during a dispute with a neighbor.",
        "Non-fatal shooting: victim was struck in the leg while walking home; treated and "
        "released.",
    ),
    "robbery": (
        "Armed robbery of the victim's phone and wallet at a bus stop in the {district} district.",
        "Victim was robbed at gunpoint while making a delivery; no injuries reported.",
    ),
    "adult_sexual_assault": (
        "Sexual assault reported by the victim at the hospital; a forensic exam was completed "
        "and the victim asked for an advocate.",
        "Victim reports an acquaintance assaulted her after a party; investigation open.",
    ),
    "homicide_survivor": (
        "Victim's {relative} was fatally shot in the {district} district; the family was "
        "notified by detectives.",
        "Victim's {relative} died in a stabbing; offender in custody. Family asked about "
        "funeral expenses.",
    ),
    "stalking": (
        "Former partner repeatedly shows up at the victim's workplace and sends threatening "
        "messages.",
        "Victim reports being followed and receiving messages from unknown accounts for "
        "several weeks.",
    ),
}
GENERIC_NARRATIVES = (
    "Report taken in the {district} district; victim asked to be contacted by victim services.",
    "Victim reported the incident at the station and agreed to an outreach call.",
    "Referred after the responding officer noted the victim was shaken and without support.",
)
FIRST_CONTACTS = (
    "Introduced victim services and the advocate's role; victim agreed to follow-up calls.",
    "Discussed safety plan and shelter options; victim is staying with her sister for now.",
    "Explained crime victim compensation and mailed the application.",
    "Explained how to petition for an order of protection; victim wants to file on Monday.",
    "Went over the victim's rights and how to reach the detective on the case.",
    "Victim shaken but safe; gave the 24-hour hotline number and agreed to call tomorrow.",
    "Discussed medical bills from the ER visit and how compensation can help.",
    "Safety planning: changed locks arranged, reviewed who to call in an emergency.",
)
FOLLOW_UPS = (
    "Checked in; victim reports no further contact from the offender.",
    "Accompanied victim to the bond hearing; explained the next court date.",
    "Reviewed the compensation application together; medical bills still missing.",
    "Gave an update on the investigation after speaking with the detective.",
    "Referred to counseling at a partner agency; victim will call them this week.",
    "Helped victim request a copy of the police report.",
    "Discussed relocation assistance and the emergency housing waitlist.",
    "Updated the safety plan after the offender was released on bond.",
    "Victim asked about the order of protection hearing; confirmed the date and courtroom.",
    "Connected victim with legal aid for the custody question.",
)
INBOUND_FOLLOW_UPS = (
    "Victim called with questions about the court date.",
    "Victim called to report new messages from the offender; advised to save them and call "
    "911 if in danger.",
    "Victim called back about the compensation form; walked through the employer section.",
    "Victim texted to say she found a new apartment and wants help with the deposit.",
)
FIRST_INBOUND = {
    CaseSource.HOTLINE: "Hotline call: victim described the incident and asked what help is "
    "available. Safety planned on the call.",
    CaseSource.WALK_IN: "Victim came to the office; completed intake and a safety plan, gave "
    "the resource packet.",
    CaseSource.SELF: "Victim called the unit directly after finding our number on the report "
    "receipt; intake completed.",
}
FAMILY_CONTACTS = (
    "Spoke with the victim's family member about funeral expenses and compensation.",
    "Family member asked for the detective's contact; passed on the number.",
    "Met the family at the office to explain the court process.",
)
DECLINED = (
    "Victim declined services for now; gave the unit's number and the hotline in case that changes."
)
FIRST_CONTACT_REASON = "First contact made"  # as cases.services.contact_log writes it
AUTO_ASSIGN_REASON = "Outreach rule: assigned by district"
NO_NUMBER_NOTE = "Asked the detective for another number; none on file."
ATTEMPT_SUMMARIES = {
    AttemptResult.NO_ANSWER: ("", "No answer, no voicemail set up."),
    AttemptResult.VOICEMAIL_LEFT: (
        "Left a brief voicemail with the unit's number, no details about the incident.",
    ),
    AttemptResult.MESSAGE_SENT: ("Sent a text introducing the unit (texts marked safe).",),
    AttemptResult.BUSY: ("",),
    AttemptResult.WRONG_NUMBER: ("The number from the report reaches someone else.",),
    AttemptResult.DISCONNECTED: ("Number from the report is disconnected.",),
    AttemptResult.UNSAFE: ("Victim answered but said it was not safe to talk; will call back.",),
}
NOTES = (
    "Victim prefers calls after 5pm; her partner is at work until then.",
    "Detective confirmed the offender was released on bond this morning.",
    "Consulted with the supervisor about emergency relocation funds.",
    "Shelter bed confirmed for tonight; transportation arranged.",
    "Submitted the crime victim compensation application on the victim's behalf.",
    "Victim's employer agreed to a leave of absence; letter provided.",
    "Victim is worried about her immigration status; referred to legal aid.",
    "Court date moved; victim informed by phone.",
    "Victim requested that we only contact her by text.",
    "Checked the court docket: order of protection hearing set.",
)
NEW_CASE_NOTES = (
    "Reviewed the report; victim's phone from the report may be out of date.",
    "Responding officer says the victim is staying with family; will try the number listed.",
)
HIGH_DANGER_NOTE = "Lethality screen by the responding officer: high danger. Prioritizing outreach."
INTERPRETER_NOTE = "Used the telephone interpreter line for the call."
OPEN_TASKS = (
    "Follow-up call",
    "Check on order of protection hearing",
    "Mail compensation application",
    "Call detective for case status",
    "Court accompaniment: preliminary hearing",
    "Check in after bond hearing",
    "Send shelter and counseling referrals",
)
DONE_TASKS = (
    "Follow-up call",
    "Mail resource packet",
    "Help with compensation application",
    "Court accompaniment",
    "Call detective for case status",
    "Arrange emergency lock change",
)
CLOSE_REASONS = {
    CaseStatus.CLOSED: (
        "Services completed",
        "Victim's goals met; closed with an open invitation to call",
        "Victim moved out of the area; referred to the local victim services unit",
        "Referred to a partner agency for ongoing counseling",
        "Prosecution concluded; victim informed of the outcome",
    ),
    CaseStatus.DECLINED: (
        "Victim declined services",
        "Victim has support from family and declined further contact",
        "Victim declined; asked not to be called again",
    ),
    CaseStatus.UNABLE_TO_CONTACT: (
        "No response after several attempts and an outreach letter",
        "Phone number from the report is disconnected; letter returned",
        "No working contact information",
    ),
}
REASSIGN_REASONS = (
    "Caseload balancing",
    "Advocate on leave",
    "Spanish-speaking advocate requested",
    "Moved to the district's advocate",
)
SAFETY_NOTES = (
    "Partner checks this phone in the evenings; call only in the safe hours.",
    "Do not leave details in a voicemail.",
    "Shared family phone; ask for her by first name only.",
)
ADDRESS_NOTE = "Offender knows this address; do not send mail here."
RELATIVES = ("son", "daughter", "brother", "sister", "husband", "nephew", "father")
STAFF_TITLES = {
    Role.ADVOCATE: ("Victim Specialist", "Victim Advocate", "Bilingual Victim Advocate"),
    Role.SUPERVISOR: ("Victim Services Supervisor",),
    Role.COORDINATOR: ("Victim Services Coordinator",),
    Role.OFFICER: ("Detective", "Police Officer"),
    Role.ANALYST: ("Grant Manager and Analyst",),
    Role.AUDITOR: ("Compliance Auditor",),
}


def _id(obj: models.Model | None) -> int | None:
    return None if obj is None else obj.pk


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


# --- Results ------------------------------------------------------------------------------


@dataclass
class AgencyResult:
    slug: str
    name: str
    skipped: bool = False
    counts: Counter = field(default_factory=Counter)
    seconds: float = 0.0
    # Seconds spent making Python objects vs. in bulk_create (which includes encryption).
    timings: dict[str, float] = field(default_factory=dict)


@dataclass
class _Plan:
    received_at: datetime
    source: str
    status: str
    codes: list[str]


@dataclass
class _Draft:
    """One case being built: its rows so far and who held it when."""

    case: Case
    plan: _Plan
    victim: Person
    phone: ContactPoint | None  # the victim's primary phone, if the report gave one
    related: list[tuple[Person, str, bool]]
    high: bool
    worked_until: datetime
    holders: list[tuple[datetime, Membership]] = field(default_factory=list)
    assignment: Assignment | None = None  # the current one
    contacts: list[Contact] = field(default_factory=list)
    # When a contact with the victim (not a family member) was completed.
    victim_reached: list[datetime] = field(default_factory=list)
    ended_at: datetime | None = None

    def holder_at(self, t: datetime) -> Membership | None:
        """Who held the case at t (the first holder for anything before the assignment)."""
        current = self.holders[0][1] if self.holders else None
        for since, member in self.holders:
            if since <= t:
                current = member
        return current


@dataclass
class _Rows:
    persons: list[Person] = field(default_factory=list)
    points: list[ContactPoint] = field(default_factory=list)
    cases: list[Case] = field(default_factory=list)
    victimizations: list[CaseVictimization] = field(default_factory=list)
    case_people: list[CasePerson] = field(default_factory=list)
    assignments: list[Assignment] = field(default_factory=list)
    contacts: list[Contact] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    tasks: list[Task] = field(default_factory=list)
    events: list[CaseEvent] = field(default_factory=list)
    services: list[ServiceProvided] = field(default_factory=list)
    surveys: list[SurveyResponse] = field(default_factory=list)

    # Insert order: each list only points at rows of the lists before it.
    ORDER = (
        "persons",
        "points",
        "cases",
        "victimizations",
        "case_people",
        "assignments",
        "contacts",
        "notes",
        "tasks",
        "events",
        "services",
        "surveys",
    )


class InstanceMaker:
    """Model instances for bulk_create, several times cheaper than Model(**fields).

    Model.__init__ walks every field and goes through the related-object descriptors; for
    rows that are only ever inserted, filling the instance's __dict__ from a per-model
    template does the same job. A related object is not cached on the instance: its id is
    copied in by `resolve_parents` once the parent row has been inserted and has one, so
    reading the relation (row.case) before then would not find it; read the id fields.
    """

    def __init__(self):
        self.templates: dict[type[models.Model], tuple[dict, list, dict]] = {}

    def _template(self, model: type[models.Model]) -> tuple[dict, list, dict]:
        static, dynamic, relations = {}, [], {}
        for f in model._meta.concrete_fields:
            if f.has_default() and callable(f.default):
                dynamic.append((f.attname, f.default))
            else:
                static[f.attname] = f.get_default()
            if f.is_relation:
                relations[f.name] = f.attname
        template = self.templates[model] = (static, dynamic, relations)
        return template

    def __call__(self, model: type[M], **values) -> M:
        static, dynamic, relations = self.templates.get(model) or self._template(model)
        obj = model.__new__(model)
        obj._state = ModelState()
        fields = obj.__dict__
        fields.update(static)
        for attname, default in dynamic:
            if attname not in values:
                fields[attname] = default()
        parents = []
        for name, value in values.items():
            attname = relations.get(name)
            if attname is None:
                fields[name] = value
            elif value is None:
                fields[attname] = None
            else:
                fields[attname] = value.pk
                if value.pk is None:
                    parents.append((attname, value))
        if parents:
            fields[PARENTS] = parents
        return obj


PARENTS = "_demo_parents"


def resolve_parents(objs: list[models.Model]) -> None:
    """Copy the ids of parent rows inserted since these rows were made."""
    for obj in objs:
        parents = obj.__dict__.pop(PARENTS, None)
        if parents:
            for attname, parent in parents:
                obj.__dict__[attname] = parent.pk


new_row = InstanceMaker()


@contextmanager
def keep_given_timestamps(*model_classes: type[models.Model]) -> Iterator[None]:
    """Let bulk_create keep the created_at/updated_at values we give it.

    auto_now/auto_now_add fields overwrite any value with "now" on insert, which would put a
    year of casework on today's date. The flags are switched off on the model fields for the
    duration of the load only (the demo command runs alone in its process).
    """
    fields = [
        f
        for model in model_classes
        for f in model._meta.concrete_fields
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
    ]
    saved = [(f, f.auto_now, f.auto_now_add) for f in fields]
    for f in fields:
        f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, auto_now, auto_now_add in saved:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add


# --- The builder --------------------------------------------------------------------------


def build_demo(
    *,
    agencies: int,
    cases: int,
    seed: int = 2026,
    now: datetime | None = None,
    log: Callable[[str], None] | None = None,
) -> list[AgencyResult]:
    """Load `agencies` demo agencies with `cases` cases each; existing ones are skipped.

    Runs across tenants (all_agencies), one transaction and one audit event per agency.
    """
    now = now or timezone.now()
    password_hash = None
    names = None
    results = []
    with all_agencies():
        for index in range(1, agencies + 1):
            profile = agency_profile(index)
            if Agency.objects.filter(slug=profile.slug).exists():
                results.append(AgencyResult(profile.slug, profile.name, skipped=True))
                if log:
                    log(f"{profile.slug}: already loaded, skipped.")
                continue
            if password_hash is None:
                # One slow (argon2) hash, copied to every demo user.
                password_hash = make_password(DEMO_PASSWORD)
                names = NamePools(seed)
            builder = AgencyBuilder(
                profile, cases=cases, seed=seed, now=now, password_hash=password_hash, names=names
            )
            result = builder.build()
            results.append(result)
            if log:
                log(summary_line(result))
    return results


def summary_line(result: AgencyResult) -> str:
    if result.skipped:
        return f"{result.slug}: already loaded, skipped."
    c = result.counts
    rate = c["cases"] / result.seconds if result.seconds else 0
    return (
        f"{result.slug}: {c['cases']:,} cases, {c['persons']:,} people, "
        f"{c['points']:,} contact points, {c['contacts']:,} contacts, {c['notes']:,} notes, "
        f"{c['tasks']:,} tasks, {c['events']:,} timeline events, {c['services']:,} services, "
        f"{c['surveys']:,} survey answers, {c['staff']} staff "
        f"in {result.seconds:.1f} s ({rate:,.0f} cases/s)."
    )


class AgencyBuilder:
    """Builds one agency. Everything random comes from one Random seeded by (seed, slug), so
    an agency's data does not change when more agencies are asked for."""

    def __init__(
        self,
        profile: Profile,
        *,
        cases: int,
        seed: int,
        now: datetime,
        password_hash: str,
        names: NamePools,
    ):
        self.profile = profile
        self.n_cases = cases
        self.seed = seed
        self.rng = random.Random(f"{seed}:{profile.slug}")
        self.names = names
        self.now = now
        self.latest = now - timedelta(minutes=1)
        self.tz = zoneinfo.ZoneInfo(profile.time_zone)
        self.password_hash = password_hash
        self.counts: Counter = Counter()
        self.timings: dict[str, float] = defaultdict(float)
        self.report_numbers: set[str] = set()
        self.prefix = username_prefix(profile.slug)

    # The load -------------------------------------------------------------------------

    def build(self) -> AgencyResult:
        started = time.perf_counter()
        plans = self._plan_cases()
        open_cases = sum(plan.status in (CaseStatus.NEW, CaseStatus.ACTIVE) for plan in plans)
        advocates = max(MIN_ADVOCATES, math.ceil(open_cases / OPEN_CASES_PER_ADVOCATE))
        with transaction.atomic():
            with keep_given_timestamps(Person, ContactPoint, Case, CasePerson, Contact, Note, Task):
                self._agency()
                self._staff(advocates)
                self._outreach_rules()
                for start in range(0, len(plans), CHUNK_CASES):
                    self._chunk(plans[start : start + CHUNK_CASES], first_number=start + 1)
                # Later cases opened through the services continue the sequence.
                Agency.objects.filter(pk=self.agency.pk).update(last_case_number=len(plans))
            self._app_seeds()
            audit_record(
                actor=None,
                action=AuditAction.DATA_LOAD,
                agency_id=self.agency.pk,
                actor_label=LOADER_LABEL,
                details={
                    "cases": len(plans),
                    "seed": self.seed,
                    **{name: self.counts[name] for name in ("persons", "contacts", "staff")},
                },
            )
        return AgencyResult(
            self.profile.slug,
            self.profile.name,
            counts=self.counts,
            seconds=time.perf_counter() - started,
            timings=dict(self.timings),
        )

    def _agency(self) -> None:
        p = self.profile
        self.agency = Agency.objects.create(
            name=p.name,
            slug=p.slug,
            time_zone=p.time_zone,
            phone=f"{p.area_codes[0]}-555-0100",
        )
        names = sorted(self.rng.sample(p.districts, DISTRICTS_PER_AGENCY), key=p.districts.index)
        codes = sorted(self.rng.sample(range(1, 26), DISTRICTS_PER_AGENCY))
        self.districts = District.objects.bulk_create(
            District(agency=self.agency, code=f"{code:03d}", name=name)
            for code, name in zip(codes, names, strict=True)
        )
        ServiceHours.objects.bulk_create(
            ServiceHours(agency=self.agency, weekday=day, opens=OPENS, closes=CLOSES)
            for day in range(5)
        )

    def _app_seeds(self) -> None:
        """Partners, releases, referrals, court dates, messages, claims and goals: a few dozen
        rows each, made through each app's own services (its demo.py), after the bulk load."""
        started = time.perf_counter()
        p = self.profile
        partners_demo.seed_demo(
            agency=self.agency,
            rng=self.rng,
            city=p.city,
            state=p.state,
            zip_prefix=p.zip_prefix,
            area_code=p.area_codes[0],
        )
        for app_demo in (
            consent_demo,
            referrals_demo,
            justice_demo,
            notices_demo,
            compensation_demo,
            reports_demo,
        ):
            app_demo.seed_demo(agency=self.agency, rng=self.rng)
        self.timings["app seeds"] += time.perf_counter() - started

    def _outreach_rules(self) -> None:
        """The starter rules (docs/outreach.md), so an import into the demo agency opens cases
        the way a real unit's would."""
        outreach_rules_start(actor=Actor.system(self.agency, LOADER_LABEL))

    def _staff(self, advocates: int) -> None:
        roles = [(f"advocate{n if n > 1 else ''}", Role.ADVOCATE) for n in range(1, advocates + 1)]
        roles += [
            ("supervisor", Role.SUPERVISOR),
            ("coordinator", Role.COORDINATOR),
            ("officer", Role.OFFICER),
            ("officer2", Role.OFFICER),
            ("analyst", Role.ANALYST),
            ("auditor", Role.AUDITOR),
        ]
        usernames = [self.prefix + name for name, _ in roles]
        user_model = get_user_model()
        taken = sorted(
            user_model.objects.filter(username__in=usernames).values_list("username", flat=True)
        )
        if taken:
            raise DemoError(
                f"Cannot load {self.profile.slug}: user names already taken by users outside "
                f"the demo: {', '.join(taken)}."
            )
        rng = self.rng
        users = []
        for username in usernames:
            language = "es" if rng.random() < 0.2 else "en"
            gender = "female" if rng.random() < 0.7 else "male"
            first = self.names.first(rng, language, gender)
            last = self.names.last(rng, language)
            users.append(
                user_model(
                    username=username,
                    first_name=first,
                    last_name=last,
                    email=f"{username}@example.org",
                    password=self.password_hash,
                )
            )
        users = user_model.objects.bulk_create(users)
        members = []
        for n, ((_, role), user) in enumerate(zip(roles, users, strict=True)):
            members.append(
                Membership(
                    agency=self.agency,
                    user=user,
                    role=role,
                    district=self.districts[n % len(self.districts)]
                    if role == Role.ADVOCATE
                    else None,
                    title=rng.choice(STAFF_TITLES[role]),
                    phone=f"{self.profile.area_codes[0]}-555-01{(n + 1) % 100:02d}",
                )
            )
        members = Membership.objects.bulk_create(members)
        self.advocates = [m for m in members if m.role == Role.ADVOCATE]
        self.supervisor = next(m for m in members if m.role == Role.SUPERVISOR)
        self.coordinator = next(m for m in members if m.role == Role.COORDINATOR)
        self.officers = [m for m in members if m.role == Role.OFFICER]
        self.by_district: dict[int, list[Membership]] = defaultdict(list)
        for advocate in self.advocates:
            self.by_district[advocate.district_id].append(advocate)
        self.counts["staff"] = len(members)

    def _chunk(self, plans: list[_Plan], first_number: int) -> None:
        started = time.perf_counter()
        rows = _Rows()
        for offset, plan in enumerate(plans):
            self._case(rows, plan, first_number + offset)
        self.timings["generate"] += time.perf_counter() - started
        for name in _Rows.ORDER:
            objs = getattr(rows, name)
            started = time.perf_counter()
            if objs:
                resolve_parents(objs)
                type(objs[0]).objects.bulk_create(objs, batch_size=BATCH_SIZE)
            self.timings[f"insert {name}"] += time.perf_counter() - started
            self.counts[name] += len(objs)

    # Planning ---------------------------------------------------------------------------

    def _plan_cases(self) -> list[_Plan]:
        """When each case came in, from where, about what, and how it stands today."""
        rng = self.rng
        n = self.n_cases
        # A few fresh cases nobody has reached yet, every third one past the 24-hour goal.
        fresh = min(n // 3, max(3, math.ceil(n * 2 / 365)))
        plans = []
        for i in range(n):
            if i < fresh:
                hours = rng.uniform(26, 46) if i % 3 == 0 else rng.uniform(1, 22)
                received = self.now - timedelta(hours=hours)
                source = rng.choice(
                    (
                        CaseSource.RECORDS_OUTREACH,
                        CaseSource.RECORDS_OUTREACH,
                        CaseSource.OFFICER_REFERRAL,
                    )
                )
                status = CaseStatus.NEW
            else:
                age = rng.uniform(0.1, 365)
                received = self.now - timedelta(days=age)
                source = SOURCES.pick(rng)
                status = self._status_for_age(age)
                if source in INBOUND_SOURCES and status in (
                    CaseStatus.NEW,
                    CaseStatus.UNABLE_TO_CONTACT,
                ):
                    status = CaseStatus.ACTIVE if age < 30 else CaseStatus.CLOSED
                if source == CaseSource.WALK_IN:
                    received = self._office_time(received, limit=self.latest)
            codes = [VICTIMIZATIONS.pick(rng)]
            if rng.random() < 0.15:
                also = ALSO.get(codes[0]) or (VICTIMIZATIONS.pick(rng),)
                extra = rng.choice(also)
                if extra != codes[0]:
                    codes.append(extra)
            plans.append(_Plan(received, source, status, codes))
        plans.sort(key=lambda plan: plan.received_at)
        return plans

    def _status_for_age(self, age_days: float) -> str:
        rng = self.rng
        if age_days < 2 and rng.random() < 0.4:
            return CaseStatus.NEW
        if rng.random() >= min(0.9, age_days / 100):
            return CaseStatus.ACTIVE
        ending = rng.random()
        if ending < 0.70:
            return CaseStatus.CLOSED
        if ending < 0.82:
            return CaseStatus.DECLINED
        return CaseStatus.UNABLE_TO_CONTACT if age_days >= 7 else CaseStatus.ACTIVE

    # Times ------------------------------------------------------------------------------

    def _after(self, t: datetime, lo_minutes: float, hi_minutes: float) -> datetime:
        """A time a little after t, never in the future (nor before t)."""
        later = t + timedelta(minutes=self.rng.uniform(lo_minutes, hi_minutes))
        return max(t, min(later, self.latest))

    def _in_office(self, t: datetime) -> bool:
        local = t.astimezone(self.tz)
        return local.weekday() < 5 and OPENS <= local.time() < CLOSES

    def _office_time(self, t: datetime, *, limit: datetime) -> datetime:
        """t moved forward into the unit's service hours, unless that would pass `limit`."""
        if self._in_office(t):
            return t
        local = t.astimezone(self.tz)
        day = local.date()
        if local.weekday() >= 5 or local.time() >= CLOSES:
            day += timedelta(days=1)
        while day.weekday() >= 5:
            day += timedelta(days=1)
        opening = datetime.combine(day, OPENS, tzinfo=self.tz)
        moved = (opening + timedelta(minutes=self.rng.uniform(0, 450))).astimezone(UTC)
        return moved if moved <= limit else t

    def _spread(self, start: datetime, end: datetime, count: int) -> list[datetime]:
        """Up to count times between start and end, in service hours, in order."""
        if count <= 0 or end <= start:
            return []
        span = (end - start).total_seconds()
        times = (start + timedelta(seconds=self.rng.uniform(0, span)) for _ in range(count))
        moved = (self._office_time(t, limit=end) for t in times)
        return sorted(t for t in moved if self._in_office(t))

    # People -----------------------------------------------------------------------------

    def _person(
        self,
        rows: _Rows,
        *,
        at: datetime,
        gender: str,
        age: int | None,
        language: str | None = None,
        last_name: str = "",
        known_dob: float = 0.85,
    ) -> Person:
        rng = self.rng
        language = language or LANGUAGES.pick(rng)
        name_language = "es" if language == "en" and rng.random() < 0.1 else language
        first = self.names.first(rng, name_language, gender)
        last = last_name or self.names.last(rng, name_language)
        dob = None
        age_reported = None
        if age is not None and rng.random() < known_dob:
            dob = at.astimezone(self.tz).date() - timedelta(days=age * 365 + rng.randint(0, 364))
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
            agency_id=self.agency.pk,
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
            name_dob_index=name_dob_index(first, last, dob),
            created_at=at,
            updated_at=at,
        )
        rows.persons.append(person)
        return person

    def _phone(self) -> str:
        # 555-0100 to 555-0199 is the range set aside for fiction.
        return f"+1{self.rng.choice(self.profile.area_codes)}55501{self.rng.randint(0, 99):02d}"

    def _point(
        self, rows: _Rows, person: Person, kind: str, value: str, at: datetime, **flags
    ) -> ContactPoint:
        point = new_row(
            ContactPoint,
            agency_id=self.agency.pk,
            person=person,
            kind=kind,
            value=value,
            value_index=contact_value_index(kind, value),
            created_at=at,
            **flags,
        )
        rows.points.append(point)
        return point

    def _contact_points(
        self, rows: _Rows, person: Person, *, at: datetime, dv: bool, victim: bool
    ) -> ContactPoint | None:
        """The person's phones, email and address with varied safe-contact rules; returns
        the primary phone (None when the report gave no phone)."""
        rng = self.rng
        primary = None
        if rng.random() < (0.93 if victim else 0.5):
            safe_hours = dv and rng.random() < 0.25
            primary = self._point(
                rows,
                person,
                ContactKind.PHONE,
                self._phone(),
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
            self._point(
                rows,
                person,
                ContactKind.PHONE,
                self._phone(),
                at,
                label=label,
                ok_to_contact=label != "work" or rng.random() < 0.5,
                ok_voicemail=label == "work" and rng.random() < 0.5,
            )
        if rng.random() < 0.3:
            local = f"{ascii_slug(person.first_name)}.{ascii_slug(person.last_name)}"
            email = normalize_email(f"{local}{rng.randint(1, 99)}@example.org")
            self._point(
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
            p = self.profile
            address = (
                f"{rng.choice(self.names.streets)}\n{p.city}, {p.state} "
                f"{p.zip_prefix}{rng.randint(0, 99):02d}"
            )
            unsafe = dv and rng.random() < 0.3
            self._point(
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

    def _victim_age(self, code: str) -> int:
        rng = self.rng
        if code in CHILD_VICTIMS:
            return rng.randint(3, 16)
        if code == "elder_abuse":
            return rng.randint(65, 92)
        if code in ("teen_dating", "bullying"):
            return rng.randint(14, 19)
        return min(90, 18 + int(rng.expovariate(1 / 16)))

    # One case ---------------------------------------------------------------------------

    def _report_number(self, received: datetime) -> str:
        """Chicago-style records-division numbers: two letters that advance through the
        year, then six digits ("JH123456")."""
        local = received.astimezone(self.tz)
        letter = chr(ord("A") + ((local.month - 1) * 2 + (local.day > 15)) % 26)
        while True:
            number = f"J{letter}{self.rng.randint(100000, 599999)}"
            if number not in self.report_numbers:
                self.report_numbers.add(number)
                return number

    def _event(
        self, rows: _Rows, case: Case, kind: str, at: datetime, actor_id: int | None, **fields
    ) -> None:
        rows.events.append(
            new_row(
                CaseEvent,
                agency_id=self.agency.pk,
                case=case,
                kind=kind,
                at=at,
                actor_id=actor_id,
                **fields,
            )
        )

    def _pick_advocate(self, district: District | None) -> Membership:
        local = self.by_district.get(district.pk) if district is not None else None
        if local and self.rng.random() < 0.85:
            return self.rng.choice(local)
        if self.rng.random() < 0.04:
            return self.rng.choice((self.supervisor, self.coordinator))
        return self.rng.choice(self.advocates)

    def _case(self, rows: _Rows, plan: _Plan, number: int) -> None:
        first_event = len(rows.events)
        draft = self._open(rows, plan, number)
        self._contact_log(rows, draft)
        self._notes(rows, draft)
        self._tasks(rows, draft)
        self._close(rows, draft, last_activity=max(e.at for e in rows.events[first_event:]))
        self._services(rows, draft)
        self._survey(rows, draft)

    def _open(self, rows: _Rows, plan: _Plan, number: int) -> _Draft:
        """The victim, the people around them, the case and its first assignment."""
        rng = self.rng
        code = plan.codes[0]
        dv = "domestic_violence" in plan.codes or "stalking" in plan.codes
        received = plan.received_at
        if plan.source == CaseSource.RECORDS_OUTREACH:
            opened = self._after(received, 5, 360)  # the next records import
        else:
            opened = self._after(received, 1, 30)

        if code in MOSTLY_WOMEN:
            gender = "female" if rng.random() < 0.85 else "male"
        else:
            gender = "female" if rng.random() < 0.5 else "male"
        if rng.random() < 0.01:
            gender = "other"
        victim_age = self._victim_age(code)
        victim = self._person(rows, at=opened, gender=gender, age=victim_age)
        phone = self._contact_points(rows, victim, at=opened, dv=dv, victim=True)
        related = self._related_people(
            rows, victim, code=code, dv=dv, victim_age=victim_age, at=opened
        )

        has_report = plan.source in (CaseSource.RECORDS_OUTREACH, CaseSource.OFFICER_REFERRAL)
        if not has_report:
            has_report = rng.random() < {CaseSource.PARTNER: 0.5, CaseSource.SELF: 0.25}.get(
                plan.source, 0.3
            )
        district = rng.choice(self.districts) if has_report or rng.random() < 0.6 else None
        high = (
            code == "homicide_survivor"
            or (dv and rng.random() < 0.25)
            or (code == "adult_sexual_assault" and rng.random() < 0.2)
        )
        if plan.status == CaseStatus.NEW and rng.random() < 0.5:
            holder = None  # waiting in the outreach queue for a supervisor to assign
        else:
            holder = self._pick_advocate(district)
        if plan.source == CaseSource.RECORDS_OUTREACH:
            creator = None  # opened by the records import
        elif plan.source == CaseSource.OFFICER_REFERRAL:
            creator = rng.choice(self.officers)
        else:
            creator = holder or self.coordinator
        narrative = ""
        if rng.random() < 0.85:
            kids = rng.choice(("Two children were present.", "", "A child was home at the time."))
            narrative = (
                rng.choice(NARRATIVES.get(code, GENERIC_NARRATIVES))
                .format(
                    district=district.name if district else "city",
                    relative=rng.choice(RELATIVES),
                    kids=kids,
                )
                .strip()
            )
        year = received.astimezone(self.tz).year
        case = new_row(
            Case,
            agency_id=self.agency.pk,
            number=f"{year}-{number:06d}",  # as haven.cases.services.next_case_number
            primary_victim=victim,
            source=plan.source,
            received_at=received,
            report_number=self._report_number(received) if has_report else "",
            district_id=_id(district),
            status=plan.status,
            priority=Priority.HIGH if high else Priority.NORMAL,
            narrative=narrative,
            created_by_id=_id(creator),
            created_at=opened,
        )
        rows.cases.append(case)
        for victimization in plan.codes:
            rows.victimizations.append(
                new_row(CaseVictimization, agency_id=self.agency.pk, case=case, code=victimization)
            )
        self._event(
            rows,
            case,
            CaseEventKind.CREATED,
            opened,
            _id(creator),
            data={"source": CaseSource(plan.source).label},
        )
        for person, relation, served in related:
            added = self._after(opened, 0, 20)
            rows.case_people.append(
                new_row(
                    CasePerson,
                    agency_id=self.agency.pk,
                    case=case,
                    person=person,
                    relation=relation,
                    is_served=served,
                    added_at=added,
                )
            )
            self._event(
                rows,
                case,
                CaseEventKind.PERSON_ADDED,
                added,
                _id(creator or holder),
                data={"name": person.full_name, "relation": Relation(relation).label},
            )

        draft = _Draft(
            case=case,
            plan=plan,
            victim=victim,
            phone=phone,
            related=related,
            high=high,
            worked_until=self.latest,
        )
        if holder is not None:
            if plan.source == CaseSource.RECORDS_OUTREACH:
                # The outreach rules assign by district as the report comes in.
                at, by, reason = self._after(opened, 1, 90), None, AUTO_ASSIGN_REASON
            elif plan.source == CaseSource.OFFICER_REFERRAL:
                at, by, reason = self._after(opened, 10, 240), self.supervisor, ""
            else:
                at, by, reason = self._after(opened, 1, 20), holder, ""  # took the call
            self._assign(rows, draft, holder, at, by, reason)
        return draft

    def _related_people(
        self, rows: _Rows, victim: Person, *, code: str, dv: bool, victim_age: int, at: datetime
    ) -> list[tuple[Person, str, bool]]:
        """Family of a homicide victim, children in a DV household, a child victim's
        guardian, the odd witness: (person, relation, served by the case)."""
        rng = self.rng
        family = {"language": victim.preferred_language, "last_name": victim.last_name}
        related = []
        if code == "homicide_survivor":
            for _ in range(rng.randint(1, 3)):
                person = self._person(
                    rows,
                    at=at,
                    gender=rng.choice(("female", "male")),
                    age=rng.randint(16, 75),
                    known_dob=0.6,
                    **family,
                )
                self._contact_points(rows, person, at=at, dv=False, victim=False)
                related.append((person, Relation.FAMILY, True))
        elif dv and victim_age >= 20 and rng.random() < 0.35:
            for _ in range(rng.randint(1, 3)):
                child = self._person(
                    rows,
                    at=at,
                    gender=rng.choice(("female", "male")),
                    age=rng.randint(0, 16),
                    known_dob=0.9,
                    **family,
                )
                related.append((child, Relation.CHILD, True))
        elif code in CHILD_VICTIMS:
            guardian = self._person(
                rows,
                at=at,
                age=rng.randint(25, 55),
                gender="female" if rng.random() < 0.75 else "male",
                **family,
            )
            self._contact_points(rows, guardian, at=at, dv=False, victim=False)
            related.append((guardian, Relation.PARENT_GUARDIAN, True))
        elif code in ("adult_physical_assault", "robbery") and rng.random() < 0.05:
            witness = self._person(
                rows,
                at=at,
                gender=rng.choice(("female", "male")),
                age=rng.randint(18, 70),
                known_dob=0.5,
            )
            related.append((witness, Relation.WITNESS, False))
        return related

    def _assign(
        self,
        rows: _Rows,
        draft: _Draft,
        assignee: Membership,
        at: datetime,
        by: Membership | None,
        reason: str,
    ) -> None:
        previous = draft.holders[-1][1].display_name if draft.holders else "nobody"
        if draft.assignment is not None:
            draft.assignment.ended_at = at
        draft.assignment = new_row(
            Assignment,
            agency_id=self.agency.pk,
            case=draft.case,
            assignee_id=assignee.pk,
            assigned_by_id=_id(by),
            reason=reason,
            started_at=at,
        )
        rows.assignments.append(draft.assignment)
        draft.holders.append((at, assignee))
        self._event(
            rows,
            draft.case,
            CaseEventKind.ASSIGNED,
            at,
            _id(by),
            data={"to": assignee.display_name, "from": previous, "reason": reason},
        )

    # The contact log --------------------------------------------------------------------

    def _contact_log(self, rows: _Rows, draft: _Draft) -> None:
        """Attempts, the first completed contact, follow-ups, and when the case ends; then
        first_contact_at from the log, as cases.services.contact_log keeps it."""
        rng = self.rng
        status = draft.plan.status
        if status == CaseStatus.NEW:
            if draft.holders:
                for t in self._spread(draft.holders[0][0], self.latest, rng.choice((0, 0, 1, 2))):
                    self._attempt(draft, t)
        elif status == CaseStatus.UNABLE_TO_CONTACT:
            start = draft.holders[0][0]
            span = min(self.latest, start + timedelta(days=rng.uniform(5, 21)))
            times = self._spread(start, span, rng.randint(3, 5))
            for n, t in enumerate(times):
                self._attempt(draft, t, letter=n == len(times) - 1 and rng.random() < 0.6)
            draft.ended_at = self._after(times[-1] if times else start, 60 * 24, 60 * 24 * 5)
        else:
            first_at = self._first_contact(draft)
            if status == CaseStatus.DECLINED:
                draft.ended_at = self._after(first_at, 10, 60 * 24 * 3)
            else:
                if status == CaseStatus.CLOSED:
                    room = (self.latest - first_at) * rng.uniform(0.2, 0.95)
                    draft.ended_at = first_at + min(room, timedelta(days=150))
                self._follow_ups(rows, draft, first_at, draft.ended_at or self.latest)
        draft.worked_until = draft.ended_at or self.latest

        contacts = sorted(draft.contacts, key=lambda contact: contact.occurred_at)
        draft.contacts = contacts
        rows.contacts.extend(contacts)
        for contact in contacts:
            self._event(
                rows,
                draft.case,
                CaseEventKind.CONTACT_LOGGED,
                contact.occurred_at,
                contact.logged_by_id,
                contact=contact,
            )
        reached = draft.victim_reached
        first = draft.case.first_contact_at = min(reached) if reached else None
        if first is not None:
            # What contact_log does on the first completed contact with the victim.
            draft.case.status_reason = FIRST_CONTACT_REASON
            self._event(
                rows,
                draft.case,
                CaseEventKind.STATUS_CHANGED,
                first,
                _id(draft.holder_at(first)),
                data={
                    "from": CaseStatus.NEW.label,
                    "to": CaseStatus.ACTIVE.label,
                    "reason": FIRST_CONTACT_REASON,
                },
            )

    def _first_contact(self, draft: _Draft) -> datetime:
        """The first completed contact: the call or visit itself when the victim reached
        us, else an outreach call after a few attempts, mostly within a day or two."""
        rng = self.rng
        plan = draft.plan
        if plan.source in INBOUND_SOURCES:
            first_at = self._after(plan.received_at, 0, 10)
            channel = (
                ContactChannel.IN_PERSON
                if plan.source == CaseSource.WALK_IN
                else ContactChannel.PHONE
            )
            self._log(
                draft,
                first_at,
                ContactOutcome.COMPLETED,
                channel,
                ContactDirection.INBOUND,
                FIRST_INBOUND[plan.source],
                minutes=rng.randint(15, 60),
            )
            return first_at
        start = draft.holders[0][0]
        bucket = rng.random()
        if bucket < 0.55:
            hours = rng.uniform(1, 23)
        elif bucket < 0.85:
            hours = rng.uniform(24, 72)
        else:
            hours = rng.uniform(72, 240)
        first_at = max(start + timedelta(minutes=5), plan.received_at + timedelta(hours=hours))
        first_at = min(self._office_time(first_at, limit=self.latest), self.latest)
        attempts = rng.choices((0, 1, 2, 3), cum_weights=(40, 70, 90, 100))[0]
        for t in self._spread(start, first_at, attempts):
            if t < first_at:
                self._attempt(draft, t)
        channel = ContactChannel.IN_PERSON if rng.random() < 0.1 else ContactChannel.PHONE
        summary = DECLINED if plan.status == CaseStatus.DECLINED else rng.choice(FIRST_CONTACTS)
        self._log(
            draft,
            first_at,
            ContactOutcome.COMPLETED,
            channel,
            ContactDirection.OUTBOUND,
            summary,
            minutes=rng.randint(10, 45),
        )
        return first_at

    def _follow_ups(self, rows: _Rows, draft: _Draft, first_at: datetime, until: datetime) -> None:
        rng = self.rng
        span_days = (until - first_at).total_seconds() / 86400
        count = min(10, int(span_days / rng.uniform(8, 25)))
        times = self._spread(first_at + timedelta(hours=2), until, count)
        if len(times) > 2 and rng.random() < 0.07:
            # Handed to another advocate half-way through.
            handover = times[len(times) // 2] - timedelta(hours=1)
            current = draft.holders[-1][1]
            others = [a for a in self.advocates if a != current]
            if others and handover > draft.holders[-1][0]:
                self._assign(
                    rows,
                    draft,
                    rng.choice(others),
                    handover,
                    self.supervisor,
                    rng.choice(REASSIGN_REASONS),
                )
        family = [person for person, relation, _ in draft.related if relation == Relation.FAMILY]
        phone = draft.phone
        for t in times:
            if family and rng.random() < 0.3:
                self._log(
                    draft,
                    t,
                    ContactOutcome.COMPLETED,
                    ContactChannel.PHONE,
                    ContactDirection.OUTBOUND,
                    rng.choice(FAMILY_CONTACTS),
                    person=rng.choice(family),
                    minutes=rng.randint(10, 40),
                )
            elif rng.random() < 0.2:
                result = (
                    AttemptResult.VOICEMAIL_LEFT
                    if phone is not None and phone.ok_voicemail
                    else AttemptResult.NO_ANSWER
                )
                self._log(
                    draft,
                    t,
                    ContactOutcome.ATTEMPTED,
                    ContactChannel.PHONE,
                    ContactDirection.OUTBOUND,
                    "",
                    result,
                )
            elif rng.random() < 0.3:
                channel = (
                    ContactChannel.TEXT
                    if phone is not None and phone.ok_text
                    else ContactChannel.PHONE
                )
                self._log(
                    draft,
                    t,
                    ContactOutcome.COMPLETED,
                    channel,
                    ContactDirection.INBOUND,
                    rng.choice(INBOUND_FOLLOW_UPS),
                    minutes=rng.randint(5, 30),
                )
            else:
                channel = rng.choices(
                    (ContactChannel.PHONE, ContactChannel.IN_PERSON, ContactChannel.VIDEO),
                    cum_weights=(75, 95, 100),
                )[0]
                minutes = (
                    rng.randint(30, 180)
                    if channel == ContactChannel.IN_PERSON
                    else rng.randint(5, 45)
                )
                self._log(
                    draft,
                    t,
                    ContactOutcome.COMPLETED,
                    channel,
                    ContactDirection.OUTBOUND,
                    rng.choice(FOLLOW_UPS),
                    minutes=minutes,
                )

    def _attempt(self, draft: _Draft, t: datetime, *, letter: bool = False) -> None:
        """An outreach attempt that fits the victim's safe-contact rules: a voicemail only
        where voicemails are OK, a text only where texts are."""
        rng = self.rng
        phone = draft.phone
        channel = ContactChannel.PHONE
        if letter:
            channel, result = ContactChannel.LETTER, AttemptResult.MESSAGE_SENT
            summary = "Mailed an outreach letter with the resource guide."
        elif phone is None:
            result = AttemptResult.DISCONNECTED
            summary = rng.choice(ATTEMPT_SUMMARIES[result])
        elif phone.ok_text and rng.random() < 0.3:
            channel, result = ContactChannel.TEXT, AttemptResult.MESSAGE_SENT
            summary = rng.choice(ATTEMPT_SUMMARIES[result])
        else:
            result = rng.choices(
                (
                    AttemptResult.NO_ANSWER,
                    AttemptResult.BUSY,
                    AttemptResult.WRONG_NUMBER,
                    AttemptResult.UNSAFE,
                ),
                cum_weights=(80, 86, 94, 100),
            )[0]
            if result == AttemptResult.NO_ANSWER and phone.ok_voicemail:
                result = AttemptResult.VOICEMAIL_LEFT
            summary = rng.choice(ATTEMPT_SUMMARIES[result])
        self._log(
            draft, t, ContactOutcome.ATTEMPTED, channel, ContactDirection.OUTBOUND, summary, result
        )

    def _log(
        self,
        draft: _Draft,
        t: datetime,
        outcome: str,
        channel: str,
        direction: str,
        summary: str,
        result: str = "",
        *,
        person: Person | None = None,
        minutes: int | None = None,
    ) -> None:
        if person is None and outcome == ContactOutcome.COMPLETED:
            draft.victim_reached.append(t)
        draft.contacts.append(
            new_row(
                Contact,
                agency_id=self.agency.pk,
                case=draft.case,
                person=person,
                outcome=outcome,
                attempt_result=result,
                channel=channel,
                direction=direction,
                occurred_at=t,
                duration_minutes=minutes,
                summary=summary,
                logged_by_id=_id(draft.holder_at(t)),
                created_at=self._after(t, 1, 60),
            )
        )

    # Notes, tasks, closure ----------------------------------------------------------------

    def _notes(self, rows: _Rows, draft: _Draft) -> None:
        rng = self.rng
        case, contacts = draft.case, draft.contacts
        bodies: list[tuple[datetime, str]] = []
        if draft.high:
            bodies.append((self._after(case.created_at, 5, 120), HIGH_DANGER_NOTE))
        completed = [c for c in contacts if c.outcome == ContactOutcome.COMPLETED]
        if draft.victim.interpreter_needed and completed:
            bodies.append((self._after(completed[0].occurred_at, 5, 30), INTERPRETER_NOTE))
        if case.status == CaseStatus.NEW:
            if rng.random() < 0.3:
                bodies.append((self._after(case.created_at, 10, 300), rng.choice(NEW_CASE_NOTES)))
        elif completed:
            for body in rng.sample(NOTES, rng.choice((0, 1, 1, 2, 2, 3))):
                bodies.append((self._after(rng.choice(completed).occurred_at, 5, 90), body))
        elif contacts:
            bodies.append((self._after(contacts[-1].occurred_at, 5, 60), NO_NUMBER_NOTE))
        for at, body in sorted(bodies, key=lambda pair: pair[0]):
            at = min(at, draft.worked_until)
            author = draft.holder_at(at) or self.supervisor
            visibility = (
                NoteVisibility.SHAREABLE if rng.random() < 0.15 else NoteVisibility.PRIVILEGED
            )
            note = new_row(
                Note,
                agency_id=self.agency.pk,
                case=case,
                body=body,
                author_id=author.pk,
                created_at=at,
                visibility=visibility,
            )
            rows.notes.append(note)
            self._event(rows, case, CaseEventKind.NOTE_ADDED, at, author.pk, note=note)

    def _tasks(self, rows: _Rows, draft: _Draft) -> None:
        """Done tasks along the way; open ones on active cases, about a third overdue."""
        rng = self.rng
        if not draft.holders:
            return
        case = draft.case
        planned: list[tuple[datetime, str, datetime, bool]] = []  # created, title, due, done
        if case.status == CaseStatus.NEW:
            planned.append(
                (
                    draft.holders[0][0],
                    "First outreach call",
                    case.received_at + timedelta(hours=24),
                    False,
                )
            )
        completed = [c.occurred_at for c in draft.contacts if c.outcome == ContactOutcome.COMPLETED]
        if completed:
            for title in rng.sample(DONE_TASKS, rng.choice((0, 1, 1, 2))):
                created = self._after(rng.choice(completed), 5, 60)
                due = created + timedelta(days=rng.uniform(1, 14))
                if due < draft.worked_until:
                    planned.append((created, title, due, True))
            if case.status == CaseStatus.ACTIVE:
                for title in rng.sample(OPEN_TASKS, rng.choice((1, 1, 2))):
                    created = self._after(completed[-1], 5, 60)
                    due = max(created, self.now + timedelta(days=rng.uniform(-5, 10)))
                    planned.append((created, title, due, False))
        for created, title, due, done in planned:
            task = new_row(
                Task,
                agency_id=self.agency.pk,
                case=case,
                title=title,
                due_at=due,
                assignee_id=(draft.holder_at(created) if done else draft.holders[-1][1]).pk,
                created_by_id=_id(draft.holder_at(created)),
                created_at=created,
            )
            rows.tasks.append(task)
            self._event(
                rows, case, CaseEventKind.TASK_ADDED, created, task.created_by_id, task=task
            )
            if done:
                done_at = max(created, due - timedelta(days=rng.uniform(0, 2)))
                task.completed_at = min(
                    self._office_time(done_at, limit=draft.worked_until), draft.worked_until
                )
                task.completed_by_id = _id(draft.holder_at(task.completed_at))
                self._event(
                    rows,
                    case,
                    CaseEventKind.TASK_COMPLETED,
                    task.completed_at,
                    task.completed_by_id,
                    task=task,
                )

    def _close(self, rows: _Rows, draft: _Draft, *, last_activity: datetime) -> None:
        """The ending (closed, declined, unable to contact) after the last activity."""
        case = draft.case
        if draft.ended_at is not None:
            ended_at = max(draft.ended_at, last_activity + timedelta(minutes=30))
            ended_at = min(self._office_time(ended_at, limit=self.latest), self.latest)
            status = draft.plan.status
            case.closed_at = ended_at
            case.status_reason = self.rng.choice(CLOSE_REASONS[status])
            previous = CaseStatus.ACTIVE if case.first_contact_at else CaseStatus.NEW
            self._event(
                rows,
                case,
                CaseEventKind.STATUS_CHANGED,
                ended_at,
                _id(draft.holder_at(ended_at)),
                data={
                    "from": previous.label,
                    "to": CaseStatus(status).label,
                    "reason": case.status_reason,
                },
            )
            last_activity = ended_at
        case.assigned_to_id = draft.holders[-1][1].pk if draft.holders else None
        case.updated_at = last_activity

    # Services (OVC PMT) and satisfaction answers ----------------------------------------------

    def _services(self, rows: _Rows, draft: _Draft) -> None:
        """The PMT services given at each completed contact: one to three per contact, to the
        person spoken with, in the categories a police-based unit gives most."""
        rng = self.rng
        for contact in draft.contacts:
            if contact.outcome != ContactOutcome.COMPLETED:
                continue
            # The person spoken with: still unsaved here, so passed as the object (new_row
            # copies its id in once it is inserted); none named means the victim.
            person = dict(contact.__dict__.get(PARENTS, ())).get("person_id") or draft.victim
            for code in SERVICE_MIX.pick_some(rng, rng.choice((1, 1, 1, 1, 2, 2, 3))):
                rows.services.append(
                    new_row(
                        ServiceProvided,
                        agency_id=self.agency.pk,
                        case=draft.case,
                        person=person,
                        category=code[0],
                        sub_service=code,
                        provided_at=contact.occurred_at,
                        provided_by_id=contact.logged_by_id,
                        created_at=contact.created_at,
                    )
                )

    def _survey(self, rows: _Rows, draft: _Draft) -> None:
        """About a third of closed cases answer the closure survey (reports), anonymously:
        only the month, district, first victimization type and specialist are kept."""
        case, rng = draft.case, self.rng
        if draft.plan.status != CaseStatus.CLOSED or rng.random() > SURVEY_RESPONSE_RATE:
            return
        local = case.closed_at.astimezone(self.tz)
        overall = SURVEY_OVERALL.pick(rng)
        kind = "yes" if overall >= 4 else rng.choice(("yes", "partly", "no"))
        rows.surveys.append(
            new_row(
                SurveyResponse,
                agency_id=self.agency.pk,
                month=local.date().replace(day=1),
                district_id=case.district_id,
                victimization=sorted(draft.plan.codes)[0] if draft.plan.codes else "",
                specialist_id=case.assigned_to_id,
                kind="closure",
                language=draft.victim.preferred_language,
                overall=overall,
                respected=kind,
                informed=rng.choice((kind, kind, "partly", "")),
                knows_help=rng.choice((kind, "yes", "")),
            )
        )
