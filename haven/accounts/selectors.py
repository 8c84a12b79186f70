"""Reads of the accounts app: who may sign in, which agencies a person works in, an
invitation found by its link, and the coordinator's team list."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django_scopes import scopes_disabled

from haven.accounts.models import Invitation
from haven.agencies.models import Membership
from haven.agencies.roles import CASEWORKER_ROLES, Perm, Role
from haven.core.actor import Actor
from haven.lib.tokens import token_digest


def memberships_of(user) -> list[Membership]:
    """The person's active memberships in agencies that are not suspended, by agency name."""
    with scopes_disabled():
        return list(
            Membership.objects.select_related("agency", "user")
            .filter(user=user, is_active=True, agency__is_active=True)
            .order_by("agency__name")
        )


def is_operator(user) -> bool:
    """Operators run the installation (haven.platform): an active user with is_staff."""
    return bool(user.is_authenticated and user.is_active and user.is_staff)


def sign_in_refusal(user) -> str:
    """Why this person may not sign in now ("" when they may): every membership deactivated,
    or every agency of theirs suspended. Operators may always sign in."""
    if is_operator(user) or memberships_of(user):
        return ""
    with scopes_disabled():
        any_active = Membership.objects.filter(user=user, is_active=True).exists()
        any_membership = Membership.objects.filter(user=user).exists()
    if any_active:
        return (
            "Your agency's access to Haven is suspended. Ask the people who run Haven for "
            "your county or state."
        )
    if any_membership:
        return (
            "Your membership has been deactivated. Ask your unit's coordinator if this is a "
            "mistake."
        )
    return "Your account has no agency. Ask your unit's coordinator to invite you."


def invitation_for_token(token: str) -> Invitation | None:
    """The invitation behind a link, whatever its state (None when no link has that secret)."""
    if not token or len(token) > 100:
        return None
    return (
        Invitation.objects.select_related("agency", "membership", "user")
        .filter(digest=token_digest(token))
        .first()
    )


@dataclass
class TeamRow:
    member: Membership
    open_cases: int
    invitation: Invitation | None  # the newest, when the person has not set a password yet
    has_two_factor: bool

    @property
    def waiting_to_join(self) -> bool:
        return not self.member.user.has_usable_password()


def team_rows(actor: Actor, *, only: Membership | None = None) -> list[TeamRow]:
    """Everyone in the actor's agency (agency.configure only), active first, by name, with
    their open caseload, their pending invitation and whether they use two-step sign-in; with
    `only`, that member's row alone. A fixed number of queries, however big the team.

    Open cases counted by one small lookup per member on the (agency, assigned_to, status)
    index: a join and GROUP BY read every case the team ever held (110 ms on a 35,000-case
    agency, for one member's page too)."""
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from haven.cases.selectors import open_caseload

    actor.require(Perm.AGENCY_CONFIGURE)
    members = Membership.objects.filter(agency=actor.agency)
    if only is not None:
        members = members.filter(pk=only.pk)
    members = list(
        members.select_related("user", "district")
        .annotate(open_cases=open_caseload(actor))
        .prefetch_related(
            Prefetch(
                "invitations",
                queryset=Invitation.objects.order_by("-created_at", "-id"),
                to_attr="newest_invitations",
            )
        )
        .order_by("-is_active", "user__last_name", "user__first_name", "user__username")
    )
    user_ids = [m.user_id for m in members]
    with_device = set(
        TOTPDevice.objects.filter(user_id__in=user_ids, confirmed=True).values_list(
            "user_id", flat=True
        )
    ) | set(
        StaticDevice.objects.filter(user_id__in=user_ids, confirmed=True).values_list(
            "user_id", flat=True
        )
    )
    return [
        TeamRow(
            member=m,
            open_cases=m.open_cases,
            invitation=m.newest_invitations[0] if m.newest_invitations else None,
            has_two_factor=m.user_id in with_device,
        )
        for m in members
    ]


def access_team_member(actor: Actor, member_id) -> Membership:
    """A member of the actor's own agency, for agency.configure holders; 404 for a missing id
    and for another agency's member alike."""
    if not actor.has(Perm.AGENCY_CONFIGURE):
        raise Http404("No such member.")
    try:
        return Membership.objects.select_related("user", "agency").get(
            agency=actor.agency, pk=int(member_id)
        )
    except (Membership.DoesNotExist, ValueError, TypeError):
        raise Http404("No such member.") from None


def colleagues_for_cases(actor: Actor, *, leaving: Membership) -> QuerySet[Membership]:
    """Who may take a leaving member's open cases: the agency's other active caseworkers."""
    return (
        Membership.objects.filter(agency=actor.agency, is_active=True, role__in=CASEWORKER_ROLES)
        .exclude(pk=leaving.pk)
        .select_related("user")
        .order_by("user__last_name", "user__first_name")
    )


def active_coordinators(agency) -> QuerySet[Membership]:
    return Membership.objects.filter(agency=agency, is_active=True, role=Role.COORDINATOR)
