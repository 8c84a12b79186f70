from django.http import Http404

from haven.agencies.roles import Perm
from haven.audit.models import AuditAction
from haven.audit.services import audit_record
from haven.cases.models import Case, Task
from haven.cases.selectors import cases_visible_to
from haven.core.actor import Actor


def access_case(
    actor: Actor, case_id, *, write: bool = False, related: tuple[str, ...] = ()
) -> Case:
    """The case, if the actor may read it (and work it, with write=True). `related`: more
    one-to-one relations to read in the same query (the case page's, cases/panels.py).

    Missing, another agency's, or outside the actor's caseload: all the same 404, so a probe
    learns nothing. A reader without case.work asking to write gets 403. A read is audited here;
    with write=True the service that follows audits the change.
    """
    try:
        case = (
            cases_visible_to(actor)
            .select_related("agency", "primary_victim", "assigned_to__user", "district", *related)
            .get(pk=int(case_id))
        )
    except (Case.DoesNotExist, ValueError, TypeError):
        raise Http404("No such case.") from None
    if write:
        actor.require(Perm.CASE_WORK)
    else:
        audit_record(actor=actor, action=AuditAction.CASE_VIEW, obj=case)
    return case


def access_task(actor: Actor, task_id) -> Task:
    """A task on a case the actor may work; 404 otherwise."""
    try:
        task = (
            Task.objects.filter(case__in=cases_visible_to(actor))
            .select_related("case")
            .get(pk=int(task_id))
        )
    except (Task.DoesNotExist, ValueError, TypeError):
        raise Http404("No such task.") from None
    actor.require(Perm.CASE_WORK)
    return task
