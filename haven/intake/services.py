"""Intake: opening a case together with its new victim, as one operation, all or nothing.

Every door into Haven goes through `case_intake`: the specialist's new-case form (views.case_new)
and the officer's referral from the scene (scene_referral.py). The outreach rules open cases
for victims Haven may already know, so they call cases.services.case_open themselves
(haven.outreach.decisions).
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext

from haven.agencies.models import Membership
from haven.cases.models import Case, Priority
from haven.cases.services import case_open
from haven.core.actor import Actor
from haven.people.models import ContactKind, Person
from haven.people.services import contact_point_add, person_create


@dataclass
class NewVictim:
    first_name: str
    last_name: str
    date_of_birth: date | None = None
    preferred_language: str = "en"
    interpreter_needed: bool = False
    phone: str = ""
    # The phone's safe-contact rules (people.ContactPoint); every "ok" defaults to no.
    ok_voicemail: bool = False
    ok_text: bool = False
    safe_from: time | None = None
    safe_until: time | None = None
    phone_safety_note: str = ""
    email: str = ""


class _TakenIn:
    """case_intake's default assignee: the specialist taking the case in."""

    def __repr__(self) -> str:
        return "TAKEN_IN"


TAKEN_IN = _TakenIn()


@dataclass
class NewCase:
    source: str
    received_at: datetime
    victimizations: list[str] = field(default_factory=list)
    report_number: str = ""
    priority: str = Priority.NORMAL
    narrative: str = ""


def _as_field(exc: ValidationError, name: str) -> ValidationError:
    """A contact point's errors under the intake form's field: "value" becomes `name`, other
    fields it names (the safe hours) keep theirs."""
    errors = dict(exc.message_dict) if hasattr(exc, "error_dict") else {"value": exc.messages}
    errors[name] = errors.pop("value", []) + errors.pop("__all__", [])
    return ValidationError({key: value for key, value in errors.items() if value})


def _add_contact_points(actor: Actor, person: Person, victim: NewVictim) -> None:
    """The victim's phone and email, each primary, with their errors under the form's field."""
    if victim.phone:
        try:
            contact_point_add(
                actor=actor,
                person=person,
                kind=ContactKind.PHONE,
                value=victim.phone,
                is_primary=True,
                ok_voicemail=victim.ok_voicemail,
                ok_text=victim.ok_text,
                safe_from=victim.safe_from,
                safe_until=victim.safe_until,
                safety_note=victim.phone_safety_note,
            )
        except ValidationError as exc:
            raise _as_field(exc, "phone") from None
    if victim.email:
        try:
            contact_point_add(
                actor=actor,
                person=person,
                kind=ContactKind.EMAIL,
                value=victim.email,
                is_primary=True,
            )
        except ValidationError as exc:
            raise _as_field(exc, "email") from None


def case_intake(
    *,
    actor: Actor,
    victim: NewVictim,
    case: NewCase,
    assignee: Membership | None | _TakenIn = TAKEN_IN,
) -> Case:
    """Add the victim with their contact points and open their case, all or nothing.

    The case goes to the specialist taking it in, unless `assignee` names someone else or None
    (the unassigned queue; an officer's referral). Any invalid part raises a ValidationError
    naming the field, and nothing is saved.
    """
    if not case.victimizations:
        raise ValidationError(
            {"victimizations": gettext("Choose at least one victimization type.")}
        )
    with transaction.atomic():
        person = person_create(
            actor=actor,
            first_name=victim.first_name,
            last_name=victim.last_name,
            date_of_birth=victim.date_of_birth,
            preferred_language=victim.preferred_language,
            interpreter_needed=victim.interpreter_needed,
        )
        _add_contact_points(actor, person, victim)
        return case_open(
            actor=actor,
            victim=person,
            source=case.source,
            received_at=case.received_at,
            victimizations=case.victimizations,
            report_number=case.report_number,
            priority=case.priority,
            narrative=case.narrative,
            assignee=actor.membership if isinstance(assignee, _TakenIn) else assignee,
        )
