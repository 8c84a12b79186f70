from django.http import Http404

from haven.agencies.roles import Perm
from haven.audit.models import AuditAction
from haven.audit.services import audit_record
from haven.cases.selectors import cases_visible_to
from haven.core.actor import Actor
from haven.lethality.models import LethalityScreen


def access_screen(actor: Actor, screen_id, *, write: bool = False) -> LethalityScreen:
    """A lethality screen on a case the actor may read (and work, with write=True).

    Missing, another agency's, or on a case outside the actor's reach (officers, analysts and
    auditors read no case): all the same 404. A reader without case.work asking to write gets
    403. A read is audited here; with write=True the service that follows audits the change.
    """
    try:
        screen = (
            LethalityScreen.objects.filter(case__in=cases_visible_to(actor))
            .select_related(
                "case__agency",
                "case__primary_victim",
                "person",
                "screened_by__user",
                "hotline_updated_by__user",
                "hotline_task",
            )
            .get(pk=int(screen_id))
        )
    except (LethalityScreen.DoesNotExist, ValueError, TypeError):
        raise Http404("No such screen.") from None
    if write:
        actor.require(Perm.CASE_WORK)
    else:
        audit_record(
            actor=actor,
            action=AuditAction.LETHALITY_VIEW,
            obj=screen,
            details={"case": screen.case_id},
        )
    return screen
