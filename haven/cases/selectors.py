"""Queries about cases, always through the actor: scoped to their agency and their role."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Case as SqlCase
from django.db.models import (
    Count,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
    prefetch_related_objects,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from haven.agencies.models import Membership
from haven.agencies.roles import CASEWORKER_ROLES, Perm
from haven.audit.models import AuditAction
from haven.audit.services import audit_record
from haven.cases.models import (
    OPEN_STATUSES,
    Case,
    CaseEvent,
    CasePerson,
    CaseStatus,
    CaseVictimization,
    ClosureReview,
    NoteVisibility,
    Priority,
    Task,
)
from haven.cases.rows import ListedCase, listed_cases
from haven.core.actor import Actor
from haven.lib.dbtime import PlusTime
from haven.lib.reference import choices
from haven.people.indexes import last_name_index
from haven.people.models import Person, PersonAlias

LIST_RELATED = ("agency", "primary_victim", "assigned_to__user", "district")


# "-priority" would sort the text ("normal" before "high"): spell the order out.
HIGH_PRIORITY_FIRST = SqlCase(When(priority=Priority.HIGH, then=Value(0)), default=Value(1))


def cases_visible_to(actor: Actor) -> QuerySet[Case]:
    """The cases whose record the actor may read: all of the agency's for supervisors and
    coordinators, and for advocates unless the agency narrows them to their own caseload
    (plus the unassigned queue);
    none for officers, analysts and auditors."""
    if not actor.has(Perm.CASE_VIEW):
        return Case.objects.none()
    cases = Case.objects.filter(agency=actor.agency)
    if not actor.sees_all_cases:
        # Their own caseload, and the unassigned queue so they can take cases from it.
        cases = cases.filter(Q(assigned_to=actor.membership) | Q(assigned_to__isnull=True))
    return cases


def with_list_relations(cases: QuerySet[Case]) -> QuerySet[Case]:
    """With what a list of cases shows; the table reads their victimizations itself, in one
    query (cases.rows)."""
    return cases.select_related(*LIST_RELATED)


def _audit_list(actor: Actor, cases: list, filters: dict) -> None:
    audit_record(
        actor=actor,
        action=AuditAction.CASE_LIST,
        object_type="cases.case",
        details={"filters": filters, "shown": [c.pk for c in cases]},
    )


def my_caseload(actor: Actor) -> list[ListedCase]:
    """The actor's own open cases, those waiting for a first contact first, then oldest first,
    with only what their rows show (cases.rows)."""
    cases = listed_cases(
        cases_visible_to(actor)
        .filter(assigned_to=actor.membership, status__in=OPEN_STATUSES)
        .order_by(
            # Spelled out: "-priority" would sort "normal" before "high" (alphabetical), and
            # PostgreSQL puts NULLs last in ascending order where SQLite puts them first.
            HIGH_PRIORITY_FIRST,
            F("first_contact_at").asc(nulls_first=True),
            "received_at",
            "id",
        ),
        assignee=False,  # all the actor's
    )
    _audit_list(actor, cases, {"caseload": "mine"})
    return cases


@dataclass
class CaseFilters:
    status: str = "open"  # "open", "all", or one CaseStatus value
    assignee: str = ""  # a membership id, "none" for unassigned, "" for anyone
    q: str = ""  # a case number, report number or victim's last name (whole, any alias)

    def as_dict(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if v}


def case_list(actor: Actor, filters: CaseFilters) -> QuerySet[Case]:
    """Visible cases matching the filters, newest first; the caller pages and audits them."""
    cases = cases_visible_to(actor)
    if filters.status == "open":
        cases = cases.filter(status__in=OPEN_STATUSES)
    elif filters.status in CaseStatus.values:
        cases = cases.filter(status=filters.status)
    if filters.assignee == "none":
        cases = cases.filter(assigned_to__isnull=True)
    elif filters.assignee.isdigit():
        cases = cases.filter(assigned_to_id=int(filters.assignee))
    query = filters.q.strip()
    if query:
        # A last name matches whole, through its blind index: the names are encrypted, so
        # no prefix or part of one can be searched (docs/security.md).
        found = Q(number__iexact=query) | Q(report_number__iexact=query)
        digest = last_name_index(query)
        if digest:
            found |= _victim_last_name(actor, digest)
        cases = cases.filter(found)
    return with_list_relations(cases).order_by("-received_at", "-id")


def _victim_last_name(actor: Actor, digest: str) -> Q:
    """Cases whose primary victim has this last name, as their own or as an alias."""
    aliases = PersonAlias.objects.filter(agency=actor.agency, last_name_index=digest)
    return Q(primary_victim__last_name_index=digest) | Q(
        primary_victim__in=aliases.values("person_id")
    )


def closings_to_review(actor: Actor) -> QuerySet[Case]:
    """Cases an advocate ended that wait for a supervisor's review, oldest first (case.assign
    holders; nothing for others)."""
    if not actor.has(Perm.CASE_ASSIGN):
        return Case.objects.none()
    pending = cases_visible_to(actor).filter(closure_review=ClosureReview.PENDING)
    return with_list_relations(pending).order_by("closed_at", "id")


def audit_case_page(actor: Actor, cases: list[Case], filters: CaseFilters) -> None:
    _audit_list(actor, cases, filters.as_dict())


def case_timeline(
    case: Case, actor: Actor | None = None, *, newest: int | None = None
) -> list[CaseEvent]:
    """The case's history, newest first (only the `newest` lines, and one more to tell that
    there are more), with what each line links to loaded in one go. A reader without
    case.privileged_notes (a volunteer) gets a privileged note's line marked `note_withheld`,
    its text never handed to the template."""
    events = case.events.select_related("actor__user", "contact", "note", "task")
    events = list(events if newest is None else events[: newest + 1])
    if actor is not None and not actor.has(Perm.NOTE_PRIVILEGED):
        for event in events:
            if event.note is not None and event.note.visibility == NoteVisibility.PRIVILEGED:
                event.note_withheld = True
                event.note.body = ""
    return events


def notes_visible_to(actor: Actor, case: Case) -> QuerySet:
    """The case's notes the actor may read: privileged ones only with case.privileged_notes."""
    notes = case.notes.select_related("author__user")
    if not actor.has(Perm.NOTE_PRIVILEGED):
        notes = notes.exclude(visibility=NoteVisibility.PRIVILEGED)
    return notes


def open_tasks(case: Case) -> list[Task]:
    return list(case.tasks.filter(completed_at__isnull=True).select_related("assignee__user"))


def overdue(case: Case, *, now: datetime | None = None) -> bool:
    """Waiting for a first contact past the agency's goal."""
    if case.first_contact_at is not None or not case.is_open:
        return False
    goal = timedelta(hours=case.agency.first_contact_goal_hours)
    return (now or timezone.now()) - case.received_at > goal


@dataclass(frozen=True)
class ServedStatus:
    victim_name: str
    report_number: str
    being_served: bool
    status_label: str
    specialist: str
    specialist_phone: str


def served_status(
    actor: Actor, *, report_number: str = "", last_name: str = ""
) -> list[ServedStatus]:
    """For an officer: whether the victims on a report (or of a name) are being served and by
    whom. Nothing of the record itself: no contacts, notes, narrative or contact points."""
    actor.require(Perm.SERVED_STATUS)
    report_number = report_number.strip()
    last_name = last_name.strip()
    if not report_number and not last_name:
        return []
    cases = Case.objects.filter(agency=actor.agency).select_related(
        "primary_victim", "assigned_to__user"
    )
    if report_number:
        cases = cases.filter(report_number__iexact=report_number)
    if last_name:
        cases = cases.filter(primary_victim__last_name_index=last_name_index(last_name))
    rows = []
    for case in cases.order_by("-received_at")[:25]:
        victim = case.primary_victim
        # Only what the officer already holds (consent gate, docs/consent.md): the legal name
        # as on the report, never a preferred name; by last name, an initial and no report
        # number, so a surname search cannot list who is served or link them to reports.
        if report_number:
            name = f"{victim.first_name} {victim.last_name}".strip()
        else:
            name = f"{victim.first_name[:1]}. {victim.last_name}".strip(". ")
        rows.append(
            ServedStatus(
                victim_name=name,
                report_number=case.report_number if report_number else "",
                being_served=case.is_open,
                status_label=_served_label(case),
                specialist=case.assigned_to.display_name if case.assigned_to else "",
                specialist_phone=case.assigned_to.phone if case.assigned_to else "",
            )
        )
    audit_record(
        actor=actor,
        action=AuditAction.SERVED_STATUS_VIEW,
        object_type="cases.case",
        details={"by": "report_number" if report_number else "last_name", "found": len(rows)},
    )
    return rows


def _served_label(case: Case) -> str:
    if case.status == CaseStatus.NEW:
        return "Referred, not yet reached"
    if case.status == CaseStatus.ACTIVE:
        return "Being served"
    return "No longer being served"


@dataclass(frozen=True)
class Overview:
    by_status: dict[str, int]
    by_victimization: list[tuple[str, int]]
    open_unassigned: int
    awaiting_first_contact: int
    first_contact_within_goal: int
    first_contacts: int


def agency_overview(actor: Actor) -> Overview:
    """Aggregate numbers only: what an analyst may see. Nothing that identifies a person."""
    actor.require(Perm.AGGREGATES_VIEW)
    cases = Case.objects.filter(agency=actor.agency)
    by_status = dict(cases.values_list("status").annotate(n=Count("id")).order_by())
    labels = dict(choices("pmt", "victimization_types"))
    by_victimization = [
        (labels.get(code, code), n)
        for code, n in CaseVictimization.objects.filter(agency=actor.agency)
        .values_list("code")
        .annotate(n=Count("id"))
        .order_by("-n", "code")
    ]
    goal = timedelta(hours=actor.agency.first_contact_goal_hours)
    contacted = cases.filter(first_contact_at__isnull=False)
    within = contacted.filter(first_contact_at__lte=PlusTime("received_at", goal)).count()
    overview = Overview(
        by_status={s.label: by_status.get(s.value, 0) for s in CaseStatus},
        by_victimization=by_victimization,
        open_unassigned=cases.filter(status__in=OPEN_STATUSES, assigned_to__isnull=True).count(),
        awaiting_first_contact=cases.filter(
            status__in=OPEN_STATUSES, first_contact_at__isnull=True
        ).count(),
        first_contact_within_goal=within,
        first_contacts=contacted.count(),
    )
    audit_record(actor=actor, action=AuditAction.AGGREGATES_VIEW, object_type="reports.overview")
    return overview


def caseworkers(actor: Actor) -> QuerySet[Membership]:
    """The agency's active specialists who can hold cases, with their open caseload counted.

    Counted by one small lookup per specialist on the (agency, assigned_to, status) index: a
    join and GROUP BY read every case each of them ever held, 140 ms on a 35,000-case agency."""
    return (
        Membership.objects.filter(agency=actor.agency, is_active=True, role__in=CASEWORKER_ROLES)
        .select_related("user", "district")
        .annotate(open_cases=open_caseload(actor))
        .order_by("user__last_name", "user__first_name")
    )


def open_caseload(actor: Actor) -> Coalesce:
    """A membership queryset's annotation: the member's open cases, counted on the
    (agency, assigned_to, status) index for each member row."""
    open_cases = (
        Case.objects.filter(
            agency=actor.agency, assigned_to=OuterRef("pk"), status__in=OPEN_STATUSES
        )
        .order_by()
        .values("assigned_to")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(open_cases, output_field=IntegerField()), 0)


def people_on_case(case: Case) -> list[CasePerson]:
    """The people linked to the case (with each person), fetched once per case object for all
    the case page's panels; refresh_from_db forgets them."""
    if "related_people" not in getattr(case, "_prefetched_objects_cache", {}):
        links = CasePerson.objects.select_related("person").order_by("id")
        prefetch_related_objects([case], Prefetch("related_people", queryset=links))
    return list(case.related_people.all())


def people_served(case: Case) -> list[tuple[Person, str]]:
    """Whom a service or a safety plan on the case can be for: the primary victim first, then
    the people the case serves (is_served), each with how they relate to it."""
    people = [(case.primary_victim, "victim")]
    people += [
        (link.person, link.get_relation_display().lower())
        for link in people_on_case(case)
        if link.is_served
    ]
    return people
