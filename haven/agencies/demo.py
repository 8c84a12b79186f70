"""Demo agencies and their staff: Riverside first, then one agency per US time zone, each with
six districts, weekday service hours, and the sign-ins `manage.py demo_signins` prints (one
argon2 hash, copied to every demo user). Every name is made up; phones are 555-01xx."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model

from haven.agencies.models import Agency, District, Membership, ServiceHours
from haven.agencies.roles import Role
from haven.core.demo import CLOSES, OPENS, DemoContext, DemoError

DEMO_PASSWORD = "haven-demo-2026"
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
STAFF_TITLES = {
    Role.ADVOCATE: ("Victim Specialist", "Victim Advocate", "Bilingual Victim Advocate"),
    Role.SUPERVISOR: ("Victim Services Supervisor",),
    Role.COORDINATOR: ("Victim Services Coordinator",),
    Role.OFFICER: ("Detective", "Police Officer"),
    Role.ANALYST: ("Grant Manager and Analyst",),
    Role.AUDITOR: ("Compliance Auditor",),
}


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


def agency_create(ctx: DemoContext) -> None:
    """The agency, six of its profile's districts and weekday service hours."""
    p = ctx.profile
    ctx.agency = Agency.objects.create(
        name=p.name,
        slug=p.slug,
        time_zone=p.time_zone,
        phone=f"{p.area_codes[0]}-555-0100",
    )
    names = sorted(ctx.rng.sample(p.districts, DISTRICTS_PER_AGENCY), key=p.districts.index)
    codes = sorted(ctx.rng.sample(range(1, 26), DISTRICTS_PER_AGENCY))
    ctx.districts = District.objects.bulk_create(
        District(agency=ctx.agency, code=f"{code:03d}", name=name)
        for code, name in zip(codes, names, strict=True)
    )
    ServiceHours.objects.bulk_create(
        ServiceHours(agency=ctx.agency, weekday=day, opens=OPENS, closes=CLOSES) for day in range(5)
    )


def staff_create(ctx: DemoContext, *, advocates: int, password_hash: str) -> None:
    """The staff (`advocates` advocates, then one of each other role), as users with the one
    demo password hash and memberships; fills the staff fields of `ctx`."""
    roles = [(f"advocate{n if n > 1 else ''}", Role.ADVOCATE) for n in range(1, advocates + 1)]
    roles += [
        ("supervisor", Role.SUPERVISOR),
        ("coordinator", Role.COORDINATOR),
        ("officer", Role.OFFICER),
        ("officer2", Role.OFFICER),
        ("analyst", Role.ANALYST),
        ("auditor", Role.AUDITOR),
    ]
    usernames = [username_prefix(ctx.profile.slug) + name for name, _ in roles]
    user_model = get_user_model()
    taken = sorted(
        user_model.objects.filter(username__in=usernames).values_list("username", flat=True)
    )
    if taken:
        raise DemoError(
            f"Cannot load {ctx.profile.slug}: user names already taken by users outside "
            f"the demo: {', '.join(taken)}."
        )
    rng = ctx.rng
    users = []
    for username in usernames:
        language = "es" if rng.random() < 0.2 else "en"
        gender = "female" if rng.random() < 0.7 else "male"
        first = ctx.names.first(rng, language, gender)
        last = ctx.names.last(rng, language)
        users.append(
            user_model(
                username=username,
                first_name=first,
                last_name=last,
                email=f"{username}@example.org",
                password=password_hash,
            )
        )
    users = user_model.objects.bulk_create(users)
    members = []
    for n, ((_, role), user) in enumerate(zip(roles, users, strict=True)):
        members.append(
            Membership(
                agency=ctx.agency,
                user=user,
                role=role,
                district=ctx.districts[n % len(ctx.districts)] if role == Role.ADVOCATE else None,
                title=rng.choice(STAFF_TITLES[role]),
                phone=f"{ctx.profile.area_codes[0]}-555-01{(n + 1) % 100:02d}",
            )
        )
    members = Membership.objects.bulk_create(members)
    ctx.advocates = [m for m in members if m.role == Role.ADVOCATE]
    ctx.supervisor = next(m for m in members if m.role == Role.SUPERVISOR)
    ctx.coordinator = next(m for m in members if m.role == Role.COORDINATOR)
    ctx.officers = [m for m in members if m.role == Role.OFFICER]
    ctx.by_district.clear()
    for advocate in ctx.advocates:
        ctx.by_district[advocate.district_id].append(advocate)
    ctx.counts["staff"] = len(members)
