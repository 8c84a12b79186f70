"""Reaching a referral: through the cases the actor may read, so a referral is exactly as
visible as its case. Missing, another agency's, or on a case outside the actor's caseload: all
the same 404."""

from django.http import Http404

from haven.agencies.roles import Perm
from haven.cases.selectors import cases_visible_to
from haven.core.actor import Actor
from haven.referrals.models import Referral


def access_referral(actor: Actor, referral_id, *, write: bool = False) -> Referral:
    """The referral, if the actor may read its case (and work it, with write=True: 403 for a
    reader who may not)."""
    try:
        referral = (
            Referral.objects.filter(case__in=cases_visible_to(actor))
            .select_related("case__agency", "person", "service", "organization")
            .get(pk=int(referral_id))
        )
    except (Referral.DoesNotExist, ValueError, TypeError):
        raise Http404("No such referral.") from None
    if write:
        actor.require(Perm.CASE_WORK)
    return referral
