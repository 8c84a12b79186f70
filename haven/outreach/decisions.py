"""Opening outreach cases from imported reports, by the agency's outreach rules.

For each new or corrected report the first matching active rule (rules.py) decides; each victim
on the report then gets one OutreachDecision, so a re-import never opens a second case:

- excluded (also a suspect; a minor when the rule skips minors): nothing opens;
- an uncertain person match waits in the review list: the case opens when it is decided
  (incidents.services.match_candidate_link / _reject call `outreach_after_review`);
- the victim already has an open case: a task on it says that a new report names them;
- otherwise the victim (the known person, or one added from the report) gets a case with
  received-at = the report time, the rule's victimization and priority, assigned by the rule's
  route (least-loaded advocate of the district by default), with a task for the rule's first
  step and, for a minor, one to reach the parent or guardian first.

Reports older than a rule's max age (a backfill) and reports naming no victim open nothing.
Everything runs in the import batch's transaction, as the system actor "outreach rules", so
every case, person and task it writes is audited under that name.

The victims are decided one by one, but the cases they open are queued and written together
(opening.py, cases/batch.py), with the same rows and audit events as one by one; a victim
whose known person has a case queued has the queue written first, so they find that case.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import Prefetch
from django.utils import timezone

from haven.agencies.models import Agency, Membership
from haven.agencies.roles import CASEWORKER_ROLES
from haven.audit.models import AuditAction
from haven.audit.services import audit_record
from haven.cases.models import OPEN_STATUSES, Case
from haven.cases.services import task_add
from haven.core.actor import Actor
from haven.incidents.models import Incident, IncidentPerson, MatchCandidate, MatchStatus, PersonRole
from haven.incidents.records import ReportRecord
from haven.outreach import rules
from haven.outreach.models import OutreachDecision, OutreachOutcome, OutreachRule, RouteTo
from haven.outreach.opening import Opening, first_tasks, open_all
from haven.outreach.queue import advocates_by_load, pick_advocate

ACTOR_LABEL = "outreach rules"
HELD = (
    OutreachOutcome.EXCLUDED_SUSPECT,
    OutreachOutcome.EXCLUDED_MINOR,
    OutreachOutcome.AWAITING_REVIEW,
)
SETTLED = (OutreachOutcome.OPENED, OutreachOutcome.EXISTING_CASE)


@dataclass
class OutreachCounts:
    opened: int = 0
    existing: int = 0
    held: int = 0
    case_ids: list[int] = field(default_factory=list)


def active_rules(agency: Agency) -> list[tuple[rules.RuleSpec, OutreachRule]]:
    found = (
        OutreachRule.objects.filter(agency=agency, is_active=True)
        .select_related("assign_to")
        .prefetch_related("districts")
        .order_by("position", "id")
    )
    return [(rules.RuleSpec.of(r, [d.pk for d in r.districts.all()]), r) for r in found]


def facts_of_record(report: ReportRecord, district_id: int | None) -> rules.ReportFacts:
    """The facts of a report as read from the export (the dry run's view)."""
    return rules.ReportFacts(
        reported_at=report.reported_at,
        offense_codes=frozenset(o.code for o in report.offenses),
        nibrs_codes=frozenset(o.nibrs_code for o in report.offenses if o.nibrs_code),
        offense_descriptions=frozenset(o.description for o in report.offenses if o.description),
        domestic_violence=report.domestic_violence,
        firearm=report.firearm,
        district_id=district_id,
        people=tuple(_person_facts(p) for p in report.people),
    )


def facts_of_incident(incident: Incident) -> rules.ReportFacts:
    """The facts of a stored report; expects offenses and people prefetched."""
    return rules.ReportFacts(
        reported_at=incident.reported_at,
        offense_codes=frozenset(o.code for o in incident.offenses.all()),
        nibrs_codes=frozenset(o.nibrs_code for o in incident.offenses.all() if o.nibrs_code),
        offense_descriptions=frozenset(
            o.description for o in incident.offenses.all() if o.description
        ),
        domestic_violence=incident.domestic_violence,
        firearm=incident.firearm,
        district_id=incident.district_id,
        people=tuple(_person_facts(p) for p in incident.people.all() if p.dropped_at is None),
    )


def _person_facts(person) -> rules.PersonFacts:
    return rules.PersonFacts(
        role=person.role,
        first_name=person.first_name,
        last_name=person.last_name,
        date_of_birth=person.date_of_birth,
        age=person.age,
        person_id=person.person_id,
    )


class Outreach:
    """The agency's outreach rules, loaded once for an import (or one review decision)."""

    def __init__(self, agency: Agency, *, acting_for: str):
        self.agency = agency
        self.actor = Actor.system(agency, f"{ACTOR_LABEL} ({acting_for})"[:150])
        self.rules = active_rules(agency)
        self.specs = [spec for spec, _ in self.rules]
        self.by_pk = {rule.pk: rule for _, rule in self.rules}
        self._advocates: list[Membership] | None = None
        self._batch = _Batch()

    def __bool__(self) -> bool:
        return bool(self.rules)

    def preview(self, reports: list[tuple[ReportRecord, int | None]], now: datetime) -> int:
        """How many cases the reports would open at most (the dry run: existing cases and
        match reviews are not looked at)."""
        would_open = 0
        for report, district_id in reports:
            facts = facts_of_record(report, district_id)
            spec = rules.first_matching(self.specs, facts)
            if spec is None or not rules.is_recent(spec, facts, now):
                continue
            would_open += sum(1 for v in facts.victims if rules.exclusion(spec, v, facts) is None)
        return would_open

    def apply(self, report_numbers: list[str]) -> OutreachCounts:
        """Decide the victims of these (just written) reports; call inside the batch's
        transaction."""
        counts = OutreachCounts()
        if not self.rules or not report_numbers:
            return counts
        now = timezone.now()
        oldest = now - timedelta(days=max(s.max_report_age_days for s in self.specs))
        incidents = list(
            Incident.objects.filter(
                agency=self.agency, report_number__in=report_numbers, reported_at__gte=oldest
            )
            .select_related("district")
            .order_by("reported_at", "id")
            .prefetch_related(
                "offenses",
                Prefetch(
                    "people",
                    queryset=IncidentPerson.objects.select_related("outreach", "person"),
                ),
            )
        )
        self._batch.look_up([p for i in incidents for p in i.people.all()])
        for incident in incidents:
            self._decide_report(incident, now, counts)
        self._finish(counts)
        if counts.opened or counts.existing or counts.held:
            audit_record(
                actor=self.actor,
                action=AuditAction.OUTREACH_OPEN,
                details={
                    "opened": counts.opened,
                    "existing_case": counts.existing,
                    "held": counts.held,
                    "cases": counts.case_ids[:500],
                },
            )
        return counts

    def decide_one(self, incident, victim, spec, rule, facts) -> None:
        """Decide one victim now (after a match review) and write what follows."""
        counts = OutreachCounts()
        self._decide(incident, victim, spec, rule, facts, counts)
        self._finish(counts)

    def _decide_report(self, incident: Incident, now: datetime, counts: OutreachCounts) -> None:
        facts = facts_of_incident(incident)
        match = rules.first_matching(self.specs, facts)
        if match is None or not rules.is_recent(match, facts, now):
            return
        rule = self.by_pk[match.pk]
        victims = [
            p for p in incident.people.all() if p.role == PersonRole.VICTIM and p.dropped_at is None
        ]
        for victim in victims:
            decision = getattr(victim, "outreach", None)
            if decision is not None and decision.outcome in SETTLED:
                continue
            self._decide(incident, victim, match, rule, facts, counts)

    def _decide(self, incident, victim, spec, rule, facts, counts) -> None:
        outcome = rules.exclusion(spec, _person_facts(victim), facts)
        case = None
        if outcome is None and victim.person_id is None and self._batch.pending_match(victim):
            outcome = OutreachOutcome.AWAITING_REVIEW
        if outcome is None:
            existing = self._open_case_of(victim.person_id, counts)
            if existing is not None:
                outcome, case = OutreachOutcome.EXISTING_CASE, existing
                if existing.report_number != incident.report_number:
                    task_add(
                        actor=self.actor,
                        case=existing,
                        title=f"New police report {incident.report_number} names this victim: "
                        "review it",
                        due_at=timezone.now(),
                    )
                counts.existing += 1
            else:
                outcome = OutreachOutcome.OPENED
                case = self._queue_opening(incident, victim, rule, facts)
                counts.opened += 1
        if outcome in HELD:
            counts.held += 1
        self._batch.decisions.append((incident, victim, rule, outcome, case))

    def _open_case_of(self, person_id: int | None, counts: OutreachCounts) -> Case | None:
        """The person's newest open case; one queued in this batch is written first."""
        if person_id is None:
            return None
        if person_id in self._batch.queued_people:
            self._open_queued(counts)
        return self._batch.open_case_of(person_id)

    def _queue_opening(self, incident, victim, rule: OutreachRule, facts) -> Opening:
        age = rules.age_at(_person_facts(victim), facts.reported_at.date())
        opening = Opening(
            incident=incident,
            victim=victim,
            rule=rule,
            # Picked in the order the victims are decided, so loads add up as one by one.
            assignee=self._assignee(rule, incident.district_id),
            tasks=first_tasks(rule, age, self.agency.first_contact_goal_hours),
        )
        self._batch.queue(opening)
        return opening

    def _open_queued(self, counts: OutreachCounts) -> None:
        openings = self._batch.take_queued()
        open_all(self.actor, openings)
        for opening in openings:
            self._batch.opened(opening.victim.person_id, opening.case)
            counts.case_ids.append(opening.case.pk)

    def _finish(self, counts: OutreachCounts) -> None:
        """Open the queued cases, then write every decision of the batch."""
        self._open_queued(counts)
        decisions = self._batch.take_decisions()
        if not decisions:
            return
        now = timezone.now()
        existing = dict(
            OutreachDecision.objects.filter(
                incident_person__in=[victim.pk for _, victim, *_ in decisions]
            ).values_list("incident_person_id", "pk")
        )
        new = []
        for incident, victim, rule, outcome, case in decisions:
            if isinstance(case, Opening):
                case = case.case
            values = {
                "agency": self.agency,
                "incident": incident,
                "rule": rule,
                "outcome": outcome,
                "case": case,
                "decided_at": now,
            }
            if victim.pk in existing:
                OutreachDecision.objects.filter(pk=existing[victim.pk]).update(**values)
            else:
                new.append(OutreachDecision(incident_person=victim, **values))
        OutreachDecision.objects.bulk_create(new)

    def _assignee(self, rule: OutreachRule, district_id: int | None) -> Membership | None:
        if rule.route == RouteTo.QUEUE:
            return None
        named = rule.assign_to
        if rule.route == RouteTo.SPECIALIST and named and _can_hold_cases(named):
            return named
        if self._advocates is None:
            self._advocates = advocates_by_load(self.actor)
        advocate = pick_advocate(district_id, self._advocates)
        if advocate is not None:
            advocate.open_cases += 1
        return advocate


class _Batch:
    """What one apply has looked up and queued: victims with a pending match, people's open
    cases, the openings not yet written and the decisions not yet saved."""

    def __init__(self):
        self._pending: set[int] | None = None
        self._open_cases: dict[int, Case] | None = None
        self._queued: list[Opening] = []
        self.queued_people: set[int] = set()
        self.decisions: list[tuple] = []

    def look_up(self, victims: list[IncidentPerson]) -> None:
        """Two queries for the lot instead of two per victim."""
        unlinked = [v.pk for v in victims if v.person_id is None]
        self._pending = set(
            MatchCandidate.objects.filter(
                incident_person__in=unlinked, status=MatchStatus.PENDING
            ).values_list("incident_person_id", flat=True)
        )
        linked = {v.person_id for v in victims if v.person_id is not None}
        self._open_cases = {}
        newest_first = Case.objects.filter(
            primary_victim_id__in=linked, status__in=OPEN_STATUSES
        ).order_by("-received_at", "-id")
        for case in newest_first:
            self._open_cases.setdefault(case.primary_victim_id, case)

    def pending_match(self, victim: IncidentPerson) -> bool:
        if self._pending is None:
            return _has_pending_match(victim)
        return victim.pk in self._pending

    def open_case_of(self, person_id: int) -> Case | None:
        if self._open_cases is None:
            return _open_case_of(person_id)
        return self._open_cases.get(person_id)

    def queue(self, opening: Opening) -> None:
        self._queued.append(opening)
        if opening.victim.person_id is not None:
            self.queued_people.add(opening.victim.person_id)

    def take_queued(self) -> list[Opening]:
        queued, self._queued = self._queued, []
        self.queued_people = set()
        return queued

    def opened(self, person_id: int, case: Case) -> None:
        if self._open_cases is not None:
            self._open_cases[person_id] = case

    def take_decisions(self) -> list[tuple]:
        decisions, self.decisions = self.decisions, []
        return decisions


def _can_hold_cases(member: Membership) -> bool:
    return member.is_active and member.role in CASEWORKER_ROLES


def _has_pending_match(victim: IncidentPerson) -> bool:
    return victim.candidates.filter(status=MatchStatus.PENDING).exists()


def _open_case_of(person_id: int) -> Case | None:
    return (
        Case.objects.filter(primary_victim_id=person_id, status__in=OPEN_STATUSES)
        .order_by("-received_at", "-id")
        .first()
    )


def outreach_after_review(incident_person: IncidentPerson, *, acting_for: str) -> None:
    """A match decision was made: if the victim was waiting for it and no other candidate is
    pending, decide their outreach now. Call inside the decision's transaction."""
    decision = OutreachDecision.objects.filter(
        incident_person=incident_person, outcome=OutreachOutcome.AWAITING_REVIEW
    ).first()
    if decision is None or _has_pending_match(incident_person):
        return
    incident = (
        Incident.objects.filter(pk=decision.incident_id)
        .prefetch_related(
            "offenses",
            Prefetch("people", queryset=IncidentPerson.objects.select_related("person")),
        )
        .get()
    )
    outreach = Outreach(incident.agency, acting_for=acting_for)
    victim = next(p for p in incident.people.all() if p.pk == incident_person.pk)
    facts = facts_of_incident(incident)
    rule = decision.rule  # the rule that held the victim, even if switched off since
    spec = rules.RuleSpec.of(rule, rule.districts.values_list("pk", flat=True))
    outreach.decide_one(incident, victim, spec, rule, facts)
