"""Demo cases: when each came in, from where (records outreach, an officer's referral from the
scene, the hotline, a walk-in), about what, and how it stands today; the victim, the people
around them, the case row, its victimizations and its first assignment. The contact log, notes,
tasks and the ending are in demo_casework.py; the words in demo_texts.py.

Rows are made for bulk insert (haven/lib/bulkrows.py) with the values the services would have
written (case numbers as cases.services.next_case_number, timeline events, blind indexes).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from haven.agencies.models import District, Membership
from haven.cases.demo_texts import AUTO_ASSIGN_REASON, GENERIC_NARRATIVES, NARRATIVES, RELATIVES
from haven.cases.models import (
    Assignment,
    Case,
    CaseEvent,
    CaseEventKind,
    CasePerson,
    CaseSource,
    CaseStatus,
    CaseVictimization,
    Contact,
    Priority,
    Relation,
)
from haven.core.demo import DemoContext, Rows
from haven.lib.bulkrows import Weighted, new_row, pk_or_none
from haven.people.demo import contact_points_rows, person_row
from haven.people.models import ContactPoint, Person

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


@dataclass
class CasePlan:
    received_at: datetime
    source: str
    status: str
    codes: list[str]


@dataclass
class CaseDraft:
    """One case being built: its rows so far and who held it when."""

    case: Case
    plan: CasePlan
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


def cases_plan(ctx: DemoContext, n: int) -> list[CasePlan]:
    """When each case came in, from where, about what, and how it stands today."""
    rng = ctx.rng

    # A few fresh cases nobody has reached yet, every third one past the 24-hour goal.
    fresh = min(n // 3, max(3, math.ceil(n * 2 / 365)))
    plans = []
    for i in range(n):
        if i < fresh:
            hours = rng.uniform(26, 46) if i % 3 == 0 else rng.uniform(1, 22)
            received = ctx.now - timedelta(hours=hours)
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
            received = ctx.now - timedelta(days=age)
            source = SOURCES.pick(rng)
            status = status_for_age(ctx, age)
            if source in INBOUND_SOURCES and status in (
                CaseStatus.NEW,
                CaseStatus.UNABLE_TO_CONTACT,
            ):
                status = CaseStatus.ACTIVE if age < 30 else CaseStatus.CLOSED
            if source == CaseSource.WALK_IN:
                received = ctx.office_time(received, limit=ctx.latest)
        codes = [VICTIMIZATIONS.pick(rng)]
        if rng.random() < 0.15:
            also = ALSO.get(codes[0]) or (VICTIMIZATIONS.pick(rng),)
            extra = rng.choice(also)
            if extra != codes[0]:
                codes.append(extra)
        plans.append(CasePlan(received, source, status, codes))
    plans.sort(key=lambda plan: plan.received_at)
    return plans


def status_for_age(ctx: DemoContext, age_days: float) -> str:
    rng = ctx.rng
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


def victim_age_pick(ctx: DemoContext, code: str) -> int:
    rng = ctx.rng
    if code in CHILD_VICTIMS:
        return rng.randint(3, 16)
    if code == "elder_abuse":
        return rng.randint(65, 92)
    if code in ("teen_dating", "bullying"):
        return rng.randint(14, 19)
    return min(90, 18 + int(rng.expovariate(1 / 16)))


def report_number(ctx: DemoContext, received: datetime) -> str:
    """Chicago-style records-division numbers: two letters that advance through the
    year, then six digits ("JH123456")."""
    local = received.astimezone(ctx.tz)
    letter = chr(ord("A") + ((local.month - 1) * 2 + (local.day > 15)) % 26)
    while True:
        number = f"J{letter}{ctx.rng.randint(100000, 599999)}"
        if number not in ctx.used["report_numbers"]:
            ctx.used["report_numbers"].add(number)
            return number


def event_row(
    ctx: DemoContext,
    rows: Rows,
    case: Case,
    kind: str,
    at: datetime,
    actor_id: int | None,
    **fields,
) -> None:
    rows.events.append(
        new_row(
            CaseEvent,
            agency_id=ctx.agency.pk,
            case=case,
            kind=kind,
            at=at,
            actor_id=actor_id,
            **fields,
        )
    )


def advocate_pick(ctx: DemoContext, district: District | None) -> Membership:
    local = ctx.by_district.get(district.pk) if district is not None else None
    if local and ctx.rng.random() < 0.85:
        return ctx.rng.choice(local)
    if ctx.rng.random() < 0.04:
        return ctx.rng.choice((ctx.supervisor, ctx.coordinator))
    return ctx.rng.choice(ctx.advocates)


# long: one case's draws from the seeded Random; a split must keep their order (determinism)
def case_open(ctx: DemoContext, rows: Rows, plan: CasePlan, number: int) -> CaseDraft:
    """The victim, the people around them, the case and its first assignment."""
    rng = ctx.rng
    code = plan.codes[0]
    dv = "domestic_violence" in plan.codes or "stalking" in plan.codes
    received = plan.received_at
    if plan.source == CaseSource.RECORDS_OUTREACH:
        opened = ctx.after(received, 5, 360)  # the next records import
    else:
        opened = ctx.after(received, 1, 30)

    if code in MOSTLY_WOMEN:
        gender = "female" if rng.random() < 0.85 else "male"
    else:
        gender = "female" if rng.random() < 0.5 else "male"
    if rng.random() < 0.01:
        gender = "other"
    victim_age = victim_age_pick(ctx, code)
    victim = person_row(ctx, rows, at=opened, gender=gender, age=victim_age)
    phone = contact_points_rows(ctx, rows, victim, at=opened, dv=dv, victim=True)
    related = related_people_rows(
        ctx, rows, victim, code=code, dv=dv, victim_age=victim_age, at=opened
    )

    has_report = plan.source in (CaseSource.RECORDS_OUTREACH, CaseSource.OFFICER_REFERRAL)
    if not has_report:
        has_report = rng.random() < {CaseSource.PARTNER: 0.5, CaseSource.SELF: 0.25}.get(
            plan.source, 0.3
        )
    district = rng.choice(ctx.districts) if has_report or rng.random() < 0.6 else None
    high = (
        code == "homicide_survivor"
        or (dv and rng.random() < 0.25)
        or (code == "adult_sexual_assault" and rng.random() < 0.2)
    )
    if plan.status == CaseStatus.NEW and rng.random() < 0.5:
        holder = None  # waiting in the outreach queue for a supervisor to assign
    else:
        holder = advocate_pick(ctx, district)
    if plan.source == CaseSource.RECORDS_OUTREACH:
        creator = None  # opened by the records import
    elif plan.source == CaseSource.OFFICER_REFERRAL:
        creator = rng.choice(ctx.officers)
    else:
        creator = holder or ctx.coordinator
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
    year = received.astimezone(ctx.tz).year
    case = new_row(
        Case,
        agency_id=ctx.agency.pk,
        number=f"{year}-{number:06d}",  # as haven.cases.services.next_case_number
        primary_victim=victim,
        source=plan.source,
        received_at=received,
        report_number=report_number(ctx, received) if has_report else "",
        district_id=pk_or_none(district),
        status=plan.status,
        priority=Priority.HIGH if high else Priority.NORMAL,
        narrative=narrative,
        created_by_id=pk_or_none(creator),
        created_at=opened,
    )
    rows.cases.append(case)
    for victimization in plan.codes:
        rows.victimizations.append(
            new_row(CaseVictimization, agency_id=ctx.agency.pk, case=case, code=victimization)
        )
    event_row(
        ctx,
        rows,
        case,
        CaseEventKind.CREATED,
        opened,
        pk_or_none(creator),
        data={"source": str(CaseSource(plan.source).label)},
    )
    for person, relation, served in related:
        added = ctx.after(opened, 0, 20)
        rows.case_people.append(
            new_row(
                CasePerson,
                agency_id=ctx.agency.pk,
                case=case,
                person=person,
                relation=relation,
                is_served=served,
                added_at=added,
            )
        )
        event_row(
            ctx,
            rows,
            case,
            CaseEventKind.PERSON_ADDED,
            added,
            pk_or_none(creator or holder),
            data={"name": person.full_name, "relation": str(Relation(relation).label)},
        )

    draft = CaseDraft(
        case=case,
        plan=plan,
        victim=victim,
        phone=phone,
        related=related,
        high=high,
        worked_until=ctx.latest,
    )
    if holder is not None:
        if plan.source == CaseSource.RECORDS_OUTREACH:
            # The outreach rules assign by district as the report comes in.
            at, by, reason = ctx.after(opened, 1, 90), None, AUTO_ASSIGN_REASON
        elif plan.source == CaseSource.OFFICER_REFERRAL:
            at, by, reason = ctx.after(opened, 10, 240), ctx.supervisor, ""
        else:
            at, by, reason = ctx.after(opened, 1, 20), holder, ""  # took the call
        assignment_row(ctx, rows, draft, holder, at, by, reason)
    return draft


# long: one branch per kind of case, drawing from the seeded Random in order
def related_people_rows(
    ctx: DemoContext,
    rows: Rows,
    victim: Person,
    *,
    code: str,
    dv: bool,
    victim_age: int,
    at: datetime,
) -> list[tuple[Person, str, bool]]:
    """Family of a homicide victim, children in a DV household, a child victim's
    guardian, the odd witness: (person, relation, served by the case)."""
    rng = ctx.rng
    family = {"language": victim.preferred_language, "last_name": victim.last_name}
    related = []
    if code == "homicide_survivor":
        for _ in range(rng.randint(1, 3)):
            person = person_row(
                ctx,
                rows,
                at=at,
                gender=rng.choice(("female", "male")),
                age=rng.randint(16, 75),
                known_dob=0.6,
                **family,
            )
            contact_points_rows(ctx, rows, person, at=at, dv=False, victim=False)
            related.append((person, Relation.FAMILY, True))
    elif dv and victim_age >= 20 and rng.random() < 0.35:
        for _ in range(rng.randint(1, 3)):
            child = person_row(
                ctx,
                rows,
                at=at,
                gender=rng.choice(("female", "male")),
                age=rng.randint(0, 16),
                known_dob=0.9,
                **family,
            )
            related.append((child, Relation.CHILD, True))
    elif code in CHILD_VICTIMS:
        guardian = person_row(
            ctx,
            rows,
            at=at,
            age=rng.randint(25, 55),
            gender="female" if rng.random() < 0.75 else "male",
            **family,
        )
        contact_points_rows(ctx, rows, guardian, at=at, dv=False, victim=False)
        related.append((guardian, Relation.PARENT_GUARDIAN, True))
    elif code in ("adult_physical_assault", "robbery") and rng.random() < 0.05:
        witness = person_row(
            ctx,
            rows,
            at=at,
            gender=rng.choice(("female", "male")),
            age=rng.randint(18, 70),
            known_dob=0.5,
        )
        related.append((witness, Relation.WITNESS, False))
    return related


def assignment_row(
    ctx: DemoContext,
    rows: Rows,
    draft: CaseDraft,
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
        agency_id=ctx.agency.pk,
        case=draft.case,
        assignee_id=assignee.pk,
        assigned_by_id=pk_or_none(by),
        reason=reason,
        started_at=at,
    )
    rows.assignments.append(draft.assignment)
    draft.holders.append((at, assignee))
    event_row(
        ctx,
        rows,
        draft.case,
        CaseEventKind.ASSIGNED,
        at,
        pk_or_none(by),
        data={"to": assignee.display_name, "from": previous, "reason": reason},
    )
