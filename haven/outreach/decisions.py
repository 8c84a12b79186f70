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
"""

from __future__ import annotations

from contextlib import suppress
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.utils import timezone

from haven.agencies.models import Agency, Membership
from haven.agencies.roles import CASEWORKER_ROLES
from haven.audit.models import AuditAction
from haven.audit.services import audit_record
from haven.cases.models import OPEN_STATUSES, Case, CaseSource
from haven.cases.services import case_open, task_add
from haven.core.actor import Actor
from haven.incidents.mapper import ReportRecord
from haven.incidents.models import Incident, IncidentPerson, LinkSource, MatchStatus, PersonRole
from haven.lib.reference import choices
from haven.outreach import rules
from haven.outreach.models import OutreachDecision, OutreachOutcome, OutreachRule, RouteTo
from haven.outreach.queue import advocates_by_load, pick_advocate
from haven.people.models import ContactKind, Person
from haven.people.services import contact_point_add, person_create

ACTOR_LABEL = "outreach rules"
PMT_AGE_BANDS = frozenset(code for code, _label in choices("pmt", "age_bands"))
FROM_REPORT_NOTE = "From the police report: not yet confirmed safe to use."
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
        incidents = (
            Incident.objects.filter(
                agency=self.agency, report_number__in=report_numbers, reported_at__gte=oldest
            )
            .order_by("reported_at", "id")
            .prefetch_related(
                "offenses",
                Prefetch(
                    "people",
                    queryset=IncidentPerson.objects.select_related("outreach", "person"),
                ),
            )
        )
        for incident in incidents:
            self._decide_report(incident, now, counts)
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
        if outcome is None and victim.person_id is None and _has_pending_match(victim):
            outcome = OutreachOutcome.AWAITING_REVIEW
        if outcome is None:
            existing = _open_case_of(victim.person_id) if victim.person_id else None
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
                case = self._open_case(incident, victim, rule, facts)
                counts.opened += 1
                counts.case_ids.append(case.pk)
        if outcome in HELD:
            counts.held += 1
        OutreachDecision.objects.update_or_create(
            incident_person=victim,
            defaults={
                "agency": self.agency,
                "incident": incident,
                "rule": rule,
                "outcome": outcome,
                "case": case,
                "decided_at": timezone.now(),
            },
        )

    # --- opening a case ------------------------------------------------------------------

    def _open_case(self, incident, victim, rule: OutreachRule, facts) -> Case:
        person = victim.person or self._person_from_report(incident, victim)
        case = case_open(
            actor=self.actor,
            victim=person,
            source=CaseSource.RECORDS_OUTREACH,
            received_at=min(incident.reported_at, timezone.now()),
            victimizations=[rule.victimization],
            report_number=incident.report_number,
            district=incident.district,
            narrative=_narrative(rule, incident),
            priority=rule.priority,
            assignee=self._assignee(rule, incident.district_id),
        )
        due = timezone.now() + timedelta(hours=self.agency.first_contact_goal_hours)
        age = rules.age_at(_person_facts(victim), facts.reported_at.date())
        if age is not None and age < rules.ADULT_AGE:
            task_add(
                actor=self.actor,
                case=case,
                title=f"The victim is a minor ({age}): reach a parent or guardian first",
                due_at=due,
            )
        if rule.first_step:
            task_add(actor=self.actor, case=case, title=rule.first_step, due_at=due)
        return case

    def _person_from_report(self, incident: Incident, victim: IncidentPerson) -> Person:
        if victim.is_named:
            first, last = _as_written(victim.first_name), _as_written(victim.last_name)
        else:
            first, last = "Unknown", f"victim, report {incident.report_number}"[:100]
        person = person_create(
            actor=self.actor,
            first_name=first,
            last_name=last,
            date_of_birth=victim.date_of_birth,
            age_reported=victim.age if victim.date_of_birth is None else None,
            age_band=_known_band(victim),
            gender_identity=victim.sex,
            race_ethnicity=victim.race_ethnicity,
        )
        for kind, value in ((ContactKind.PHONE, victim.phone), (ContactKind.EMAIL, victim.email)):
            if not value:
                continue
            # A malformed number in the export is left out: the specialist finds the right one.
            with suppress(ValidationError):
                contact_point_add(
                    actor=self.actor,
                    person=person,
                    kind=kind,
                    value=value,
                    is_primary=True,
                    safety_note=FROM_REPORT_NOTE,
                )
        IncidentPerson.objects.filter(pk=victim.pk).update(
            person=person, link_source=LinkSource.CREATED
        )
        victim.person, victim.link_source = person, LinkSource.CREATED
        return person

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


def _as_written(name: str) -> str:
    """Records systems export names in capitals: "MORALES" is shown as "Morales"."""
    return name.title() if name.isupper() else name


def _known_band(victim: IncidentPerson) -> str:
    """The PMT age band the report gave as a range; "" when an age or birth date is known (the
    band follows from it) or the range crosses a band ("unknown")."""
    if victim.date_of_birth is not None or victim.age is not None:
        return ""
    return victim.age_band if victim.age_band in PMT_AGE_BANDS else ""


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


def _narrative(rule: OutreachRule, incident: Incident) -> str:
    offenses = "; ".join(str(o) for o in incident.offenses.all()) or "no offense listed"
    flags = [
        label
        for flag, label in (
            (incident.domestic_violence, "domestic violence"),
            (incident.firearm, "firearm"),
            (incident.weapon and not incident.firearm, "weapon"),
        )
        if flag
    ]
    text = (
        f'Opened by the outreach rule "{rule.name}" from police report '
        f"{incident.report_number}: {offenses}."
    )
    return text + (f" Flags: {', '.join(flags)}." if flags else "")


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
    outreach._decide(incident, victim, spec, rule, facts, OutreachCounts())
