"""Who may write to a case's justice record."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from haven.agencies.roles import Perm
from haven.cases.models import Case
from haven.cases.selectors import cases_visible_to
from haven.core.actor import Actor


def _require_case_write(actor: Actor, case: Case, *, feed: bool = False) -> None:
    """Manual entry: case.work and a case in the actor's reach. A feed: justice.import and a
    case of the actor's agency (a records system sees no caseloads)."""
    actor.require_own(case)
    if feed:
        actor.require(Perm.JUSTICE_IMPORT)
        return
    actor.require(Perm.CASE_WORK)
    if not cases_visible_to(actor).filter(pk=case.pk).exists():
        raise PermissionDenied("That case is outside your caseload.")
