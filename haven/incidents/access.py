from django.http import Http404

from haven.core.actor import Actor
from haven.incidents.models import MatchCandidate
from haven.incidents.selectors import match_candidates_to_review


def access_match_candidate(actor: Actor, candidate_id) -> MatchCandidate:
    """A pending match the actor may decide; else 404, the same answer for "does not exist",
    "not yours" and "already decided", so a probe learns nothing."""
    try:
        return match_candidates_to_review(actor).get(pk=int(candidate_id))
    except (MatchCandidate.DoesNotExist, ValueError, TypeError):
        raise Http404("No such match to review.") from None
