"""The fixed cast every test shares, and small builders for more.

Agency A (Riverside) has Alice the advocate, Bob a second advocate, Sam the supervisor,
Cora the coordinator, Oscar the officer, Ana the analyst and Aud the auditor. Agency B
(Lakeside) has Charlie, an advocate who must never see anything of A's.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from haven.agencies.models import Agency, District, Membership
from haven.cases.models import Case, CaseSource
from haven.cases.services import case_open, contact_log, note_add, task_add
from haven.core.actor import Actor
from haven.core.roles import Role
from haven.people.models import ContactKind, Person
from haven.people.services import contact_point_add, person_create

PASSWORD = "correct horse battery staple"


def make_agency(name: str, slug: str, time_zone: str = "America/Chicago") -> Agency:
    return Agency.objects.create(name=name, slug=slug, time_zone=time_zone)


def make_member(agency: Agency, username: str, role: str, **extra) -> Membership:
    first, _, last = extra.pop("full_name", f"{username.title()} Tester").partition(" ")
    user = get_user_model().objects.create_user(
        username=username, password=PASSWORD, first_name=first, last_name=last
    )
    return Membership.objects.create(agency=agency, user=user, role=role, **extra)


def make_case(
    actor: Actor, *, first_name="Dana", last_name="Reyes", assignee=None, **extra
) -> Case:
    victim = person_create(actor=actor, first_name=first_name, last_name=last_name)
    contact_point_add(
        actor=actor,
        person=victim,
        kind=ContactKind.PHONE,
        value="(312) 555-0142",
        is_primary=True,
        ok_voicemail=True,
    )
    fields = {
        "source": CaseSource.RECORDS_OUTREACH,
        "received_at": timezone.now() - timedelta(hours=3),
        "victimizations": ["domestic_violence"],
        "report_number": "JA100001",
    } | extra
    return case_open(actor=actor, victim=victim, assignee=assignee, **fields)


@dataclass
class Cast:
    agency_a: Agency
    agency_b: Agency
    district_a: District
    advocate: Membership
    advocate2: Membership
    supervisor: Membership
    coordinator: Membership
    officer: Membership
    analyst: Membership
    auditor: Membership
    other_advocate: Membership
    case_a: Case
    case_b: Case

    def actor(self, role_or_membership) -> Actor:
        membership = (
            getattr(self, role_or_membership)
            if isinstance(role_or_membership, str)
            else role_or_membership
        )
        return Actor.for_membership(membership, ip="127.0.0.1", user_agent="pytest")

    @property
    def victim_a(self) -> Person:
        return self.case_a.primary_victim


def build_cast() -> Cast:
    a = make_agency("Riverside Police Department Victim Services", "riverside")
    b = make_agency("Lakeside Sheriff Victim Unit", "lakeside", time_zone="America/New_York")
    district = District.objects.create(agency=a, code="011", name="Harrison")
    members = {
        "advocate": make_member(
            a, "alice", Role.ADVOCATE, full_name="Alice Avery", phone="312-555-0101"
        ),
        "advocate2": make_member(a, "bob", Role.ADVOCATE, full_name="Bob Burke"),
        "supervisor": make_member(a, "sam", Role.SUPERVISOR, full_name="Sam Sutter"),
        "coordinator": make_member(a, "cora", Role.COORDINATOR, full_name="Cora Cole"),
        "officer": make_member(a, "oscar", Role.OFFICER, full_name="Oscar Ortiz"),
        "analyst": make_member(a, "ana", Role.ANALYST, full_name="Ana Alvarez"),
        "auditor": make_member(a, "aud", Role.AUDITOR, full_name="Aud Itor"),
        "other_advocate": make_member(b, "charlie", Role.ADVOCATE, full_name="Charlie Chen"),
    }
    sup = Actor.for_membership(members["supervisor"])
    case_a = make_case(sup, assignee=members["advocate"], district=district)
    alice = Actor.for_membership(members["advocate"])
    contact_log(
        actor=alice,
        case=case_a,
        outcome="attempted",
        channel="phone",
        direction="outbound",
        occurred_at=timezone.now() - timedelta(hours=2),
        attempt_result="voicemail_left",
    )
    note_add(actor=alice, case=case_a, body="Victim asked to be called after 5pm at work.")
    task_add(
        actor=alice,
        case=case_a,
        title="Call back after 5pm",
        due_at=timezone.now() + timedelta(hours=4),
    )
    charlie = Actor.for_membership(members["other_advocate"])
    case_b = make_case(
        charlie,
        first_name="Erin",
        last_name="Lakeside",
        assignee=members["other_advocate"],
        report_number="LB900001",
    )
    return Cast(
        agency_a=a, agency_b=b, district_a=district, case_a=case_a, case_b=case_b, **members
    )
