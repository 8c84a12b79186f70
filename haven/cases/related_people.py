"""Adding someone new to Haven to a case as a related person (a family member, friend or
guardian), with their phone, as one operation."""

from django.core.exceptions import ValidationError
from django.db import transaction

from haven.cases.models import Case, CasePerson
from haven.cases.services import case_add_person
from haven.core.actor import Actor
from haven.people.models import ContactKind
from haven.people.services import contact_point_add, person_create


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
