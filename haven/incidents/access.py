from django.http import Http404

from haven.agencies.roles import Perm
from haven.audit.models import AuditAction
from haven.audit.services import audit_record
from haven.core.actor import Actor
from haven.incidents.models import ImportRun, MatchCandidate
from haven.incidents.selectors import import_runs, match_candidates_to_review


def access_match_candidate(actor: Actor, candidate_id) -> MatchCandidate:
    """A pending match the actor may decide; else 404, the same answer for "does not exist",
    "not yours" and "already decided", so a probe learns nothing."""
    try:
        return match_candidates_to_review(actor).get(pk=int(candidate_id))
    except (MatchCandidate.DoesNotExist, ValueError, TypeError):
        raise Http404("No such match to review.") from None


def access_match_decision(actor: Actor, candidate_id) -> MatchCandidate:
    """A possible match of the actor's agency for a person.edit holder to decide, pending or
    already decided: deciding one twice is answered by the service ("already decided"), not
    by a 404. Missing or another agency's: 404. Without person.edit: 403."""
    actor.require(Perm.PERSON_EDIT)
    try:
        return (
            MatchCandidate.objects.filter(agency=actor.agency)
            .select_related("incident_person__incident", "person")
            .get(pk=int(candidate_id))
        )
    except (MatchCandidate.DoesNotExist, ValueError, TypeError):
        raise Http404("No such match.") from None


def access_import_run(actor: Actor, run_id) -> ImportRun:
    """One import run of the actor's agency, for incidents.import holders; missing or another
    agency's: 404. The read is audited here (ids and counts only, never names)."""
    try:
        run = import_runs(actor).get(pk=int(run_id))
    except (ImportRun.DoesNotExist, ValueError, TypeError):
        raise Http404("No such import.") from None
    audit_record(actor=actor, action=AuditAction.IMPORT_RUNS_VIEW, obj=run)
    return run
