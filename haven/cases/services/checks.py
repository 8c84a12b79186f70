"""Checks the case services share: a value that will not fit its column, an assignee who may
not hold the case, a time too far ahead."""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.utils.translation import gettext

from haven.agencies.models import Membership
from haven.agencies.roles import CASEWORKER_ROLES, Role
from haven.core.actor import Actor

# A clock a few minutes fast on a phone should not refuse a contact logged "now".
CLOCK_SKEW = timedelta(minutes=5)


def too_long_message(model, field: str, value: str) -> str:
    """An error message when the value will not fit its column, else "". SQLite would keep the
    whole text and PostgreSQL refuse the insert outright; both should say what to fix."""
    limit = model._meta.get_field(field).max_length
    return f"Keep it to {limit} characters." if len(value) > limit else ""


def check_assignee(actor: Actor, assignee: Membership | None) -> None:
    if assignee is None:
        return
    if assignee.role == Role.VOLUNTEER:
        raise ValidationError(
            {
                "assignee": f"{assignee.display_name} is a volunteer or intern and may not "
                "hold a case: assign it to an advocate, who can ask them to help on it."
            }
        )
    if (
        assignee.agency_id != actor.agency.pk
        or not assignee.is_active
        or assignee.role not in CASEWORKER_ROLES
    ):
        raise ValidationError({"assignee": gettext("Choose an active specialist of this agency.")})
