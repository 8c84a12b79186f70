"""Opening the cases the outreach rules decided on, a batch at a time.

decisions.py decides victim by victim and queues an `Opening` for each case to open; `open_all`
then writes the lot as case_open, person_create and task_add would one by one (the same rows
and audit events), a table at a time (cases/batch.py, people/batch.py).
"""

from __future__ import annotations

from contextlib import suppress
from dataclasses import dataclass
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone

from haven.agencies.models import Membership
from haven.cases.batch import CaseOpening, FirstTask, cases_open_many
from haven.cases.models import Case, CaseSource
from haven.core.actor import Actor
from haven.incidents.models import Incident, IncidentPerson, LinkSource
from haven.lib.reference import choices
from haven.outreach import rules
from haven.outreach.models import OutreachRule
from haven.people.batch import people_create_many
from haven.people.models import ContactKind
from haven.people.services import contact_point_add
from haven.protocols.services import start_for_rule as protocol_start_for_rule

PMT_AGE_BANDS = frozenset(code for code, _label in choices("pmt", "age_bands"))
FROM_REPORT_NOTE = "From the police report: not yet confirmed safe to use."


@dataclass
class Opening:
    """A case to open for a victim on a report; `case` is set once it is written."""

    incident: Incident
    victim: IncidentPerson
    rule: OutreachRule
    assignee: Membership | None
    tasks: tuple[FirstTask, ...]
    case: Case | None = None


def first_tasks(
    rule: OutreachRule, age: int | None, first_contact_goal_hours: int
) -> tuple[FirstTask, ...]:
    """A minor's "reach a parent or guardian first", then the rule's first step."""
    due = timezone.now() + timedelta(hours=first_contact_goal_hours)
    tasks = []
    if age is not None and age < rules.ADULT_AGE:
        title = f"The victim is a minor ({age}): reach a parent or guardian first"
        tasks.append(FirstTask(title, due))
    if rule.first_step:
        tasks.append(FirstTask(rule.first_step, due))
    return tuple(tasks)


def open_all(actor: Actor, openings: list[Opening]) -> None:
    """Write the openings' new people, cases, first tasks and rule protocols, in order."""
    if not openings:
        return
    _people_from_reports(actor, [o for o in openings if o.victim.person is None])
    now = timezone.now()
    cases = cases_open_many(
        actor=actor,
        openings=[
            CaseOpening(
                victim=o.victim.person,
                source=CaseSource.RECORDS_OUTREACH,
                received_at=min(o.incident.reported_at, now),
                victimizations=[o.rule.victimization],
                report_number=o.incident.report_number,
                district=o.incident.district,
                narrative=narrative(o.rule, o.incident),
                priority=o.rule.priority,
                assignee=o.assignee,
                tasks=o.tasks,
            )
            for o in openings
        ],
    )
    for opening, case in zip(openings, cases, strict=True):
        opening.case = case
        if opening.rule.protocol is not None:
            protocol_start_for_rule(actor, case, opening.rule.protocol)


def _people_from_reports(actor: Actor, openings: list[Opening]) -> None:
    """A person for each victim the report names (or "Unknown"), with the phone and email the
    report gives, and the report's victim linked to them."""
    if not openings:
        return
    people = people_create_many(
        actor=actor, people=[_person_fields(o.incident, o.victim) for o in openings]
    )
    for opening, person in zip(openings, people, strict=True):
        victim = opening.victim
        for kind, value in ((ContactKind.PHONE, victim.phone), (ContactKind.EMAIL, victim.email)):
            if not value:
                continue
            # A malformed number in the export is left out: the specialist finds the right one.
            with suppress(ValidationError):
                contact_point_add(
                    actor=actor,
                    person=person,
                    kind=kind,
                    value=value,
                    is_primary=True,
                    safety_note=FROM_REPORT_NOTE,
                )
        victim.person, victim.link_source = person, LinkSource.CREATED
    IncidentPerson.objects.bulk_update(
        [o.victim for o in openings], ["person", "link_source"], batch_size=500
    )


def _person_fields(incident: Incident, victim: IncidentPerson) -> dict:
    if victim.is_named:
        first, last = _as_written(victim.first_name), _as_written(victim.last_name)
    else:
        first, last = "Unknown", f"victim, report {incident.report_number}"[:100]
    return {
        "first_name": first,
        "last_name": last,
        "date_of_birth": victim.date_of_birth,
        "age_reported": victim.age if victim.date_of_birth is None else None,
        "age_band": _known_band(victim),
        "gender_identity": victim.sex,
        "race_ethnicity": victim.race_ethnicity,
    }


def _as_written(name: str) -> str:
    """Records systems export names in capitals: "MORALES" is shown as "Morales"."""
    return name.title() if name.isupper() else name


def _known_band(victim: IncidentPerson) -> str:
    """The PMT age band the report gave as a range; "" when an age or birth date is known (the
    band follows from it) or the range crosses a band ("unknown")."""
    if victim.date_of_birth is not None or victim.age is not None:
        return ""
    return victim.age_band if victim.age_band in PMT_AGE_BANDS else ""


def narrative(rule: OutreachRule, incident: Incident) -> str:
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
