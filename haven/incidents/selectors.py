"""Reads of incidents, import runs and the match review list, scoped to the actor's agency and
role. Views and the API call these; none reads the models directly."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Exists, OuterRef, Prefetch, QuerySet

from haven.agencies.roles import Perm
from haven.audit.models import AuditAction
from haven.audit.services import audit_record
from haven.core.actor import Actor
from haven.incidents.models import (
    ImportRejectedRow,
    ImportRun,
    Incident,
    IncidentPerson,
    MatchCandidate,
    MatchStatus,
)


def incidents_visible_to(actor: Actor) -> QuerySet[Incident]:
    """The agency's incidents for specialists (case.view); nothing for other roles."""
    if not actor.has(Perm.CASE_VIEW):
        return Incident.objects.none()
    return Incident.objects.filter(agency=actor.agency)


def incidents_reported_between(actor: Actor, start: datetime, end: datetime) -> QuerySet[Incident]:
    """Reports received in [start, end), newest first, with their offenses and people loaded
    in a fixed number of queries: the outreach queue's input."""
    return (
        incidents_visible_to(actor)
        .filter(reported_at__gte=start, reported_at__lt=end)
        .select_related("district")
        .prefetch_related(
            "offenses",
            Prefetch("people", queryset=IncidentPerson.objects.select_related("person")),
        )
        .order_by("-reported_at", "-id")
    )


def incident_by_report_number(actor: Actor, report_number: str) -> Incident | None:
    return incidents_visible_to(actor).filter(report_number=report_number.strip()).first()


def match_candidates_to_review(actor: Actor) -> QuerySet[MatchCandidate]:
    """Pending possible matches, newest report first, each with the person on the report, their
    incident and the known person loaded (for person.view holders; nothing for others)."""
    if not actor.has(Perm.PERSON_VIEW):
        return MatchCandidate.objects.none()
    return (
        MatchCandidate.objects.filter(agency=actor.agency, status=MatchStatus.PENDING)
        .select_related("incident_person__incident", "person")
        .order_by("-incident_person__incident__reported_at", "incident_person_id", "-score", "id")
    )


def import_runs(actor: Actor) -> QuerySet[ImportRun]:
    """The agency's imports, newest first (for incidents.import holders)."""
    if not actor.has(Perm.INCIDENT_IMPORT):
        return ImportRun.objects.none()
    return ImportRun.objects.filter(agency=actor.agency).order_by("-started_at", "-id")


def people_on_reports_to_review(actor: Actor) -> QuerySet[IncidentPerson]:
    """The people on reports with a pending possible match, newest report first, each with its
    incident and its pending candidates (best first, with the known person) loaded in a fixed
    number of queries: the review list, one group per person on a report. Nothing without
    person.view."""
    if not actor.has(Perm.PERSON_VIEW):
        return IncidentPerson.objects.none()
    pending = (
        MatchCandidate.objects.filter(agency=actor.agency, status=MatchStatus.PENDING)
        .select_related("person")
        .order_by("-score", "id")
    )
    return (
        IncidentPerson.objects.filter(agency=actor.agency)
        .filter(Exists(pending.filter(incident_person=OuterRef("pk"))))
        .select_related("incident")
        .prefetch_related(Prefetch("candidates", queryset=pending, to_attr="pending"))
        .order_by("-incident__reported_at", "-incident_id", "role", "position")
    )


def audit_import_runs_page(actor: Actor, runs: list[ImportRun], page: int) -> None:
    """One access-log event for a page of the import log: the run ids shown, nothing else."""
    audit_record(
        actor=actor,
        action=AuditAction.IMPORT_RUNS_VIEW,
        object_type="incidents.importrun",
        details={"page": page, "shown": [run.pk for run in runs]},
    )


def audit_match_review(actor: Actor, people: list[IncidentPerson], page: int = 0) -> None:
    """One access-log event for the possible matches shown: candidate, report-person and
    known-person ids, never names (page 0: one group re-shown after a decision)."""
    candidates = [c for person in people for c in person.pending]
    audit_record(
        actor=actor,
        action=AuditAction.MATCH_REVIEW_LIST,
        object_type="incidents.matchcandidate",
        details={
            "page": page,
            "incident_people": [person.pk for person in people],
            "shown": [c.pk for c in candidates],
            "people": sorted({c.person_id for c in candidates}),
        },
    )


def import_rejected_rows(run: ImportRun):
    """(line, reason) of every refused row of a run the caller already may see, in file order,
    read in chunks (a bad night can refuse hundreds of thousands)."""
    return (
        ImportRejectedRow.objects.filter(agency_id=run.agency_id, run=run)
        .order_by("line")
        .values_list("line", "reason")
        .iterator(chunk_size=2000)
    )
