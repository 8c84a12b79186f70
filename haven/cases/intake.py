"""Opening a case together with its new victim, as one operation (the intake doors grow here)."""

from dataclasses import dataclass, field
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from haven.cases.models import Case, CasePerson, Priority
from haven.cases.services import case_add_person, case_open
from haven.core.actor import Actor
from haven.people.models import ContactKind
from haven.people.services import contact_point_add, person_create


@dataclass
class NewVictim:
    first_name: str
    last_name: str
    date_of_birth: date | None = None
    preferred_language: str = "en"
    interpreter_needed: bool = False
    phone: str = ""
    ok_voicemail: bool = False
    ok_text: bool = False
    email: str = ""


@dataclass
class NewCase:
    source: str
    received_at: datetime
    victimizations: list[str] = field(default_factory=list)
    report_number: str = ""
    priority: str = Priority.NORMAL
    narrative: str = ""


def case_intake(*, actor: Actor, victim: NewVictim, case: NewCase) -> Case:
    """Add the victim with their contact points and open their case, all or nothing.

    The case goes to the specialist taking it in. Any invalid part raises a ValidationError
    naming the field, and nothing is saved.
    """
    if not case.victimizations:
        raise ValidationError({"victimizations": "Choose at least one victimization type."})
    with transaction.atomic():
        person = person_create(
            actor=actor,
            first_name=victim.first_name,
            last_name=victim.last_name,
            date_of_birth=victim.date_of_birth,
            preferred_language=victim.preferred_language,
            interpreter_needed=victim.interpreter_needed,
        )
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
                )
            except ValidationError as exc:
                raise ValidationError(
                    {"phone": exc.message_dict.get("value", exc.messages)}
                ) from None
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
                raise ValidationError(
                    {"email": exc.message_dict.get("value", exc.messages)}
                ) from None
        return case_open(
            actor=actor,
            victim=person,
            source=case.source,
            received_at=case.received_at,
            victimizations=case.victimizations,
            report_number=case.report_number,
            priority=case.priority,
            narrative=case.narrative,
            assignee=actor.membership,
        )


def case_add_new_person(
    *,
    actor: Actor,
    case: Case,
    first_name: str,
    last_name: str,
    relation: str,
    is_served: bool = True,
    phone: str = "",
    preferred_language: str = "en",
) -> CasePerson:
    """Add a family member, friend or guardian who is new to Haven to the case, all or nothing."""
    with transaction.atomic():
        person = person_create(
            actor=actor,
            first_name=first_name,
            last_name=last_name,
            preferred_language=preferred_language,
        )
        if phone:
            try:
                contact_point_add(
                    actor=actor,
                    person=person,
                    kind=ContactKind.PHONE,
                    value=phone,
                    is_primary=True,
                )
            except ValidationError as exc:
                raise ValidationError(
                    {"phone": exc.message_dict.get("value", exc.messages)}
                ) from None
        return case_add_person(
            actor=actor, case=case, person=person, relation=relation, is_served=is_served
        )
