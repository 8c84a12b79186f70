"""Reaching a release of information: through a case the actor may read, on which the release's
person is the victim or someone the case serves."""

from django.http import Http404

from haven.agencies.roles import Perm
from haven.cases.models import Case
from haven.cases.selectors import cases_visible_to
from haven.consent.models import ReleaseOfInformation
from haven.consent.selectors import person_on_case
from haven.core.actor import Actor


def access_case_person(actor: Actor, case_id, person_id, *, write: bool = False):
    """(case, person) when the actor may read the case and the person is on it; 404 for a
    missing case, another agency's, one outside the caseload, or a person not on it."""
    try:
        case = (
            cases_visible_to(actor).select_related("agency", "primary_victim").get(pk=int(case_id))
        )
        person = person_on_case(case, int(person_id))
    except (Case.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404("No such case.") from None
    if person is None:
        raise Http404("No such person on this case.")
    if write:
        actor.require(Perm.CASE_WORK)
    return case, person


def access_release(actor: Actor, case_id, release_id, *, write: bool = False):
    """(case, release): a release about someone on a case the actor may read; 404 otherwise."""
    try:
        case = cases_visible_to(actor).select_related("agency").get(pk=int(case_id))
        release = (
            ReleaseOfInformation.objects.filter(agency=actor.agency)
            .select_related("person", "recipient_organization", "revoked_by__user")
            .get(pk=int(release_id))
        )
    except (Case.DoesNotExist, ReleaseOfInformation.DoesNotExist, ValueError, TypeError):
        raise Http404("No such release.") from None
    except OverflowError:
        raise Http404("No such release.") from None
    if person_on_case(case, release.person_id) is None:
        raise Http404("No such release.")
    if write:
        actor.require(Perm.CASE_WORK)
    return case, release
