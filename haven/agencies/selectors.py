from django.db.models import QuerySet

from haven.agencies.models import Membership
from haven.agencies.roles import Perm
from haven.core.actor import Actor


def active_membership_for(user, agency_id: int | None = None) -> Membership | None:
    """The membership a signed-in user acts through: the agency chosen in the session, else
    their only (or first) active one. A suspended agency's memberships do not count. Read
    before any scope exists, so unscoped on purpose."""
    memberships = (
        Membership.objects.with_scopes_disabled()
        .select_related("agency", "user")
        .filter(user=user, is_active=True, agency__is_active=True)
        .order_by("agency__name")
    )
    if agency_id is not None:
        chosen = next((m for m in memberships if m.agency_id == agency_id), None)
        if chosen is not None:
            return chosen
    return next(iter(memberships), None)


def team(actor: Actor) -> QuerySet[Membership]:
    """Everyone in the agency, active first, by name (for agency.configure holders)."""
    if not actor.has(Perm.AGENCY_CONFIGURE):
        return Membership.objects.none()
    return (
        Membership.objects.filter(agency=actor.agency)
        .select_related("user", "district")
        .order_by("-is_active", "user__last_name", "user__first_name")
    )


def access_member(actor: Actor, member_id) -> Membership:
    from django.http import Http404

    try:
        return team(actor).get(pk=int(member_id))
    except (Membership.DoesNotExist, ValueError, TypeError):
        raise Http404("No such member.") from None
