"""Who has opened a case or a person's record: the panel a supervisor or the record's own
specialist sees, and the per-person access report an auditor prints for a victim who asks.

Reads come from the access log (haven.audit.reads); this module decides who may see them and
turns each event into a line a victim can read: who (name and role), when, what, and why
where a reason was asked. Looking is itself a read, so it is logged; so is a refusal.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

from haven.agencies.roles import Perm, Role
from haven.audit.models import AuditAction, AuditEvent
from haven.audit.reads import READ_ACTIONS, ReadScope, reads_of
from haven.audit.services import audit_record
from haven.cases.models import Case
from haven.cases.people_access import people_visible_to
from haven.cases.selectors import cases_visible_to
from haven.core.actor import SYSTEM_ROLE, Actor
from haven.people.models import Person

# What each read was, told to the person it was about.
FOR_THE_VICTIM: dict[str, str] = {
    AuditAction.CASE_VIEW: "Opened your case record",
    AuditAction.PERSON_VIEW: "Opened the page with your personal details",
    AuditAction.SERVED_STATUS_VIEW: "Looked up whether your case is being served",
    AuditAction.SAFETY_PLAN_VIEW: "Read your safety plan",
    AuditAction.SAFETY_PLAN_PRINT: "Printed your safety plan",
    AuditAction.LETHALITY_VIEW: "Read a danger assessment (lethality screen) on your case",
    AuditAction.COMPENSATION_VIEW: "Opened your compensation claim",
    AuditAction.COMPENSATION_PACKET: "Downloaded your compensation application",
    AuditAction.RESTITUTION_VIEW: "Opened a restitution order on your case",
    AuditAction.CALENDAR_VIEW: "Opened your court calendar page",
    AuditAction.CALLOUT_VIEW: "Opened the record of a crisis call-out on your case",
    AuditAction.PARTNER_REFERRAL_VIEW: "A partner organization opened a referral about you",
    AuditAction.CASE_EXPORT: "Downloaded a list of cases that included your case",
    AuditAction.NOTICE_LETTER: "Downloaded a letter written to you",
    AuditAction.EMERGENCY_RECEIPT: "Opened a receipt for emergency financial help",
    AuditAction.CONSENT_FORM: "Printed a release-of-information form",
    AuditAction.READS_VIEW: "Looked at who has opened your record",
    AuditAction.READS_REPORT: "Made a report like this one of who has seen your record",
}
KIND_WORDS = {"page": "Opened", "export": "Export", "download": "Download", "print": "Print"}


@dataclass(frozen=True)
class ReadLine:
    at: datetime
    who: str
    role: str
    what: str  # the log's own words, for staff
    for_victim: str  # the same, told to the person it was about
    kind: str  # page, export, download or print
    reason: str
    record: str  # which record, as the log names it


def _role_label(event: AuditEvent) -> str:
    if event.role == SYSTEM_ROLE:
        return "Haven (automatic)"
    if event.role == "integration":
        return "Records system"
    if not event.role:
        return "Partner organization" if event.action.startswith("partner_referral") else ""
    try:
        return str(Role(event.role).label)
    except ValueError:
        return event.role


def read_lines(events: list[AuditEvent], *, case_ids: set[int]) -> list[ReadLine]:
    """Lines for `events` about `case_ids`, naming staff by their full name (one query)."""
    actor_ids = {e.actor_id for e in events if e.actor_id}
    users = get_user_model().objects.filter(pk__in=actor_ids)
    names = {u.pk: (u.get_full_name() or u.get_username()) for u in users}
    lines = []
    for event in events:
        details = event.details or {}
        for_victim = FOR_THE_VICTIM.get(event.action, event.get_action_display())
        if event.action == AuditAction.CASE_EXPORT:
            named = set(details.get("identified_ids") or ()) & case_ids
            for_victim += " (names included)" if named else " (no names in it)"
        lines.append(
            ReadLine(
                at=event.at,
                who=names.get(event.actor_id, event.actor_label),
                role=_role_label(event),
                what=event.get_action_display(),
                for_victim=for_victim,
                kind=READ_ACTIONS.get(event.action, "page"),
                reason=event.reason,
                record=f"{event.object_type} #{event.object_id}".strip(" #"),
            )
        )
    return lines


def _refuse(actor: Actor, object_type: str, object_id, why: str) -> PermissionDenied:
    # No transaction wraps a request, so the refusal is committed before the 403 is answered.
    audit_record(
        actor=actor,
        action=AuditAction.READS_REFUSED,
        object_type=object_type,
        object_id=str(object_id)[:40],
        details={"why": why},
    )
    return PermissionDenied("Only a supervisor or the record's own specialist sees this.")


def _may_see_reads(actor: Actor, assigned_ids: set[int]) -> bool:
    return actor.has(Perm.CASE_ASSIGN) or (
        actor.membership is not None and actor.membership.pk in assigned_ids
    )


def may_see_case_reads(actor: Actor, case: Case) -> bool:
    """Whether the case page links to its readers (no query: the case is loaded)."""
    return _may_see_reads(actor, {case.assigned_to_id})


def access_case_reads(actor: Actor, case_id) -> Case:
    """The case whose readers the actor may see: a supervisor's or coordinator's (case.assign)
    or the assigned specialist's. A role that sees no cases, or a member who sees the case but
    is neither, gets 403 and the attempt is logged; a case outside their reach is 404."""
    if not actor.has(Perm.CASE_VIEW):
        raise _refuse(actor, "cases.case", case_id, "role")
    try:
        case = cases_visible_to(actor).select_related("primary_victim").get(pk=int(case_id))
    except (Case.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404("No such case.") from None
    if not _may_see_reads(actor, {case.assigned_to_id}):
        raise _refuse(actor, "cases.case", case.pk, "not supervisor or assigned")
    audit_record(actor=actor, action=AuditAction.READS_VIEW, obj=case)
    return case


def cases_of_person(agency_id: int, person: Person):
    """Every case the person is on, as the victim or someone the case serves or names."""
    return (
        Case.objects.filter(agency_id=agency_id)
        .filter(Q(primary_victim=person) | Q(related_people__person=person))
        .distinct()
    )


def may_see_person_reads(actor: Actor, cases: list[Case]) -> bool:
    """Whether the person page links to their readers, given the cases it lists."""
    return _may_see_reads(actor, {c.assigned_to_id for c in cases})


def access_person_reads(actor: Actor, person_id) -> Person:
    """The person whose readers the actor may see: a supervisor's or coordinator's, or that of
    the specialist assigned to any case the person is on. Refusals as access_case_reads."""
    if not actor.has(Perm.PERSON_VIEW):
        raise _refuse(actor, "people.person", person_id, "role")
    try:
        person = people_visible_to(actor).get(pk=int(person_id))
    except (Person.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404("No such person.") from None
    assigned = set(
        cases_of_person(actor.agency.pk, person)
        .exclude(assigned_to=None)
        .values_list("assigned_to_id", flat=True)
    )
    if not _may_see_reads(actor, assigned):
        raise _refuse(actor, "people.person", person.pk, "not supervisor or assigned")
    audit_record(actor=actor, action=AuditAction.READS_VIEW, obj=person)
    return person


def case_reads(actor: Actor, case: Case) -> list[ReadLine]:
    """Everything read about the case: its page, its people's pages, what hangs from it."""
    actor.require_own(case)
    person_ids = [case.primary_victim_id, *case.related_people.values_list("person_id", flat=True)]
    scope = ReadScope(agency_id=case.agency_id, case_ids=(case.pk,), person_ids=tuple(person_ids))
    return read_lines(reads_of(scope), case_ids={case.pk})


def person_scope(agency_id: int, person: Person) -> ReadScope:
    case_ids = tuple(cases_of_person(agency_id, person).values_list("pk", flat=True))
    return ReadScope(
        agency_id=agency_id, case_ids=case_ids, person_ids=(person.pk,), only_person=person.pk
    )


def person_reads(
    actor: Actor, person: Person, *, since: datetime | None = None, until: datetime | None = None
) -> list[ReadLine]:
    """Everything read about the person: their page, every case they are on, exports that
    held those cases, documents about them; not another person's page on the same case."""
    actor.require_own(person)
    scope = person_scope(actor.agency.pk, person)
    events = reads_of(scope, since=since, until=until)
    return read_lines(events, case_ids=set(scope.case_ids))


def access_person_report(actor: Actor, person_id) -> Person:
    """A person of the auditor's agency, for their access report. Without audit.view: 403,
    logged. Another agency's person or none: 404. The report's making is logged by its view
    (report_made) once it knows the format and the dates."""
    if not actor.has(Perm.AUDIT_VIEW):
        raise _refuse(actor, "people.person", person_id, "not an auditor")
    try:
        return Person.objects.filter(agency=actor.agency).get(pk=int(person_id))
    except (Person.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404("No such person.") from None


def report_made(
    actor: Actor, person: Person, *, fmt: str, since: str, until: str, count: int
) -> None:
    actor.require(Perm.AUDIT_VIEW)
    audit_record(
        actor=actor,
        action=AuditAction.READS_REPORT,
        obj=person,
        details={"format": fmt, "since": since, "until": until, "reads": count},
    )
