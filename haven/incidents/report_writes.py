"""Writing a batch of reports: new incidents with their offenses and people in bulk, corrected
ones in place, and the victims matched to the people Haven knows (importer.py reads and
compares; this writes)."""

from __future__ import annotations

from collections.abc import Callable

from django.utils import timezone

from haven.audit.models import AuditAction
from haven.audit.services import audit_record
from haven.core.actor import Actor
from haven.incidents import bulk, investigation, matching
from haven.incidents.models import (
    ImportRun,
    Incident,
    IncidentOffense,
    IncidentPerson,
    LinkSource,
    MatchCandidate,
    MatchStatus,
)
from haven.incidents.records import PersonRecord, ReportRecord

# The columns each table gets, in the order of the rows bulk.insert writes.
INCIDENT_COLUMNS = (
    "agency",
    "report_number",
    "reported_at",
    "occurred_at",
    "district",
    "district_code",
    "beat",
    "location",
    "exported_status",
    "exported_detective",
    "investigation_status",
    "detective",
    "investigation_changed_at",
    "domestic_violence",
    "weapon",
    "firearm",
    "source_profile",
    "source_hash",
    "last_run",
    "imported_at",
    "updated_at",
)
OFFENSE_COLUMNS = ("agency", "incident", "code", "description", "nibrs_code")
PERSON_COLUMNS = (
    "agency",
    "incident",
    "position",
    "role",
    "first_name",
    "last_name",
    "date_of_birth",
    "age",
    "age_band",
    "sex",
    "race_ethnicity",
    "phone",
    "email",
    "person",
    "link_source",
)

INCIDENT_FIELDS = (
    "reported_at",
    "occurred_at",
    "district_code",
    "beat",
    "location",
    "exported_status",
    "exported_detective",
    "domestic_violence",
    "weapon",
    "firearm",
)
PERSON_FIELDS = (
    "role",
    "first_name",
    "last_name",
    "date_of_birth",
    "age",
    "age_band",
    "sex",
    "race_ethnicity",
    "phone",
    "email",
)
# A change to any of these means the person may be someone else: match them again.
IDENTITY_FIELDS = {"first_name", "last_name", "date_of_birth", "phone", "email"}


class ReportWriter:
    """Writes one import's batches, inside the transaction the importer holds for each."""

    def __init__(
        self,
        *,
        actor: Actor,
        profile_name: str,
        district_id: Callable[[ReportRecord], int | None],
    ):
        self.actor = actor
        self.agency = actor.agency
        self.profile_name = profile_name
        self.district_id = district_id

    def insert(self, reports: list, run: ImportRun) -> list[PersonRecord]:
        """Insert the new incidents and their offenses; return their people, not yet written,
        so that matching can fill in a certain match before they are."""
        if not reports:
            return []
        now = timezone.now()
        agency_id = self.agency.pk
        bulk.insert(
            Incident,
            INCIDENT_COLUMNS,
            [
                (
                    agency_id,
                    r.report_number,
                    r.reported_at,
                    r.occurred_at,
                    self.district_id(r),
                    r.district_code,
                    r.beat,
                    r.location,
                    r.exported_status,
                    r.exported_detective,
                    r.exported_status,
                    r.exported_detective,
                    now if (r.exported_status or r.exported_detective) else None,
                    r.domestic_violence,
                    r.weapon,
                    r.firearm,
                    self.profile_name,
                    digest,
                    run.pk,
                    now,
                    now,
                )
                for r, digest in reports
            ],
        )
        ids = bulk.values_by(
            Incident, "report_number", "id", agency_id, [r.report_number for r, _ in reports]
        )
        offenses, people = [], []
        for report, _ in reports:
            incident_id = ids[report.report_number]
            offenses += [
                (agency_id, incident_id, o.code, o.description, o.nibrs_code)
                for o in report.offenses
            ]
            for person in report.people:
                person.incident_id = incident_id
                people.append(person)
        bulk.insert(IncidentOffense, OFFENSE_COLUMNS, offenses)
        return people

    def update(self, incident, report, digest, fields, run) -> list:
        """Apply a corrected report; returns its people to (re)match."""
        incident.source_hash = digest
        incident.last_run_id = run.pk
        if not fields:  # the digest moved (a new index key, a reworded profile), not the data
            incident.save(update_fields=["source_hash", "last_run"])
            return []
        now = timezone.now()
        for name in INCIDENT_FIELDS:
            setattr(incident, name, getattr(report, name))
        incident.district_id = self.district_id(report)
        incident.source_profile = self.profile_name
        incident.updated_at = now
        incident.save(
            update_fields=[
                *INCIDENT_FIELDS,
                "district",
                "source_profile",
                "source_hash",
                "last_run",
                "updated_at",
            ]
        )
        if "offenses" in fields:
            incident.offenses.all().delete()
            bulk.insert(
                IncidentOffense,
                OFFENSE_COLUMNS,
                [
                    (incident.agency_id, incident.pk, o.code, o.description, o.nibrs_code)
                    for o in report.offenses
                ],
            )
        people = self._people(incident, report, now) if "people" in fields else []
        if {"exported_status", "exported_detective"} & set(fields):
            investigation.exported_changed(actor=self.actor, incident=incident, fields=fields)
        audit_record(
            actor=self.actor,
            action=AuditAction.INCIDENT_UPDATE,
            obj=incident,
            details={"fields": fields, "import_run": run.pk},
        )
        return people

    def _people(self, incident, report, now) -> list:
        """Update people in place by role and position. Returns the ones to match: new people
        (records, not yet written) and stored people whose name, birth date or contacts
        changed."""
        stored = {(p.role, p.position): p for p in incident.people.all()}
        people = []
        for record in report.people:
            person = stored.pop((record.role, record.position), None)
            if person is None:
                record.incident_id = incident.pk
                people.append(record)
                continue
            changed = [f for f in PERSON_FIELDS if getattr(person, f) != getattr(record, f)]
            for name in changed:
                setattr(person, name, getattr(record, name))
            if person.dropped_at is not None:
                person.dropped_at = None
                changed.append("dropped_at")
            if IDENTITY_FIELDS & set(changed) and person.link_source != LinkSource.REVIEW:
                person.person = None
                person.link_source = LinkSource.NONE
                changed += ["person", "link_source"]
                person.candidates.filter(status=MatchStatus.PENDING).delete()
                people.append(person)
            if changed:
                person.save(update_fields=changed)
        for person in stored.values():
            if person.dropped_at is None:
                person.dropped_at = now
                person.save(update_fields=["dropped_at"])
        return people

    def match(self, people: list, run: ImportRun) -> tuple[int, int]:
        """Match the victims among `people` (new PersonRecords and changed IncidentPersons),
        write the new ones, and propose the uncertain matches for review. Returns how many
        were linked and how many wait for a review."""
        outcome = matching.match_victims(self.actor, people)
        new = [p for p in people if isinstance(p, PersonRecord)]
        bulk.insert(
            IncidentPerson,
            PERSON_COLUMNS,
            [
                (
                    self.agency.pk,
                    p.incident_id,
                    p.position,
                    p.role,
                    p.first_name,
                    p.last_name,
                    p.date_of_birth,
                    p.age,
                    p.age_band,
                    p.sex,
                    p.race_ethnicity,
                    p.phone,
                    p.email,
                    p.person_id,
                    p.link_source,
                )
                for p in new
            ],
        )
        for person in people:
            if isinstance(person, IncidentPerson) and person.link_source == LinkSource.EXACT:
                IncidentPerson.objects.filter(pk=person.pk).update(
                    person_id=person.person_id, link_source=LinkSource.EXACT
                )
        if outcome.proposals:
            ids = self._person_ids([p for p, _ in outcome.proposals])
            MatchCandidate.objects.bulk_create(
                [
                    MatchCandidate(
                        agency_id=self.agency.pk,
                        incident_person_id=ids[id(person)],
                        person_id=proposal.person_id,
                        score=proposal.score,
                        reasons=proposal.reasons,
                    )
                    for person, proposals in outcome.proposals
                    for proposal in proposals
                ],
                ignore_conflicts=True,
            )
        matching.audit_search(self.actor, outcome, run.pk)
        return outcome.linked, len(outcome.proposals)

    @staticmethod
    def _person_ids(people: list) -> dict[int, int]:
        """id(person object) -> IncidentPerson pk, for records just written and stored rows."""
        ids = {id(p): p.pk for p in people if isinstance(p, IncidentPerson)}
        records = [p for p in people if isinstance(p, PersonRecord)]
        if records:
            rows = (
                IncidentPerson.objects.filter(incident_id__in={p.incident_id for p in records})
                .order_by()
                .values_list("incident_id", "role", "position", "pk")
            )
            keys = {(incident_id, role, position): pk for incident_id, role, position, pk in rows}
            for p in records:
                ids[id(p)] = keys[(p.incident_id, p.role, p.position)]
        return ids


def changed_fields(incident: Incident, report: ReportRecord, district_id: int | None) -> list[str]:
    """The names of what differs between the stored incident and the report, in a fixed order:
    incident fields, then "offenses" and "people"."""
    fields = [name for name in INCIDENT_FIELDS if getattr(incident, name) != getattr(report, name)]
    if incident.district_id != district_id and "district_code" not in fields:
        fields.append("district")
    stored_offenses = [(o.code, o.description, o.nibrs_code) for o in incident.offenses.all()]
    if stored_offenses != [(o.code, o.description, o.nibrs_code) for o in report.offenses]:
        fields.append("offenses")
    stored_people = {
        (p.role, p.position): (*(getattr(p, f) for f in PERSON_FIELDS), p.dropped_at is None)
        for p in incident.people.all()
    }
    wanted = {
        (p.role, p.position): (*(getattr(p, f) for f in PERSON_FIELDS), True) for p in report.people
    }
    if any(stored_people.get(key) != values for key, values in wanted.items()) or any(
        key not in wanted and values[-1] for key, values in stored_people.items()
    ):
        fields.append("people")
    return fields
