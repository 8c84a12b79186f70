"""The team: a member's role, district and language, deactivation (their work handed over) and
reactivation."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext as _

from haven.accounts import emails
from haven.accounts.models import Invitation
from haven.accounts.selectors import active_coordinators
from haven.agencies.models import Agency, District, Membership
from haven.agencies.roles import CASEWORKER_ROLES, Perm, Role
from haven.audit.models import AuditAction
from haven.audit.services import audit_record
from haven.core.actor import Actor


def _lock_coordinators(agency: Agency) -> list[Membership]:
    """The agency's active coordinators, locked until commit (two coordinators demoting each
    other at once queue here, and the second is refused)."""
    return list(active_coordinators(agency).select_for_update())


def _refuse_last_coordinator(agency: Agency, member: Membership, doing: str) -> None:
    if member.role != Role.COORDINATOR or not member.is_active:
        return
    others = [m for m in _lock_coordinators(agency) if m.pk != member.pk]
    if not others:
        raise ValidationError(
            f"{member.display_name} is the agency's last coordinator: you can't {doing} them. "
            "Make someone else coordinator first."
        )


def member_role_change(*, actor: Actor, member: Membership, role: str) -> Membership:
    """Give a member another role. Refused: a role that is not an agency role, demoting the
    last active coordinator, and taking the caseload role from someone with open cases (move
    them first, or deactivate, which moves them)."""
    from haven.cases.models import OPEN_STATUSES, Case

    actor.require(Perm.AGENCY_CONFIGURE)
    actor.require_own(member)
    if role not in Role.values:
        raise ValidationError(
            {"role": gettext("You may not grant that role: choose one of the agency's roles.")}
        )
    if not member.is_active:
        raise ValidationError(gettext("Reactivate this member before changing their role."))
    if member.role == role:
        return member
    with transaction.atomic():
        if role != Role.COORDINATOR:
            _refuse_last_coordinator(actor.agency, member, "demote")
        if role not in CASEWORKER_ROLES:
            open_cases = Case.objects.filter(
                agency=actor.agency, assigned_to=member, status__in=OPEN_STATUSES
            ).count()
            if open_cases:
                raise ValidationError(
                    {
                        "role": f"{member.display_name} has {open_cases} open case(s): reassign "
                        "them before giving a role without a caseload."
                    }
                )
        before = member.role
        member.role = role
        member.save(update_fields=["role"])
        audit_record(
            actor=actor,
            action=AuditAction.MEMBER_ROLE,
            obj=member,
            details={"before": before, "after": role},
        )
    return member


def sessions_end(*, user_id: int, agency_id: int | None = None) -> int:
    """Delete the person's signed-in sessions (those working in `agency_id`, or all), so they
    are signed out at their next click. Stores that cannot be listed (cache only) rely on
    ActorMiddleware, which refuses a session whose membership is no longer active."""
    store_class = import_module(settings.SESSION_ENGINE).SessionStore
    if not hasattr(store_class, "get_model_class"):
        return 0
    model = store_class.get_model_class()
    ended = 0
    for row in model.objects.filter(expire_date__gt=timezone.now()).iterator():
        data = store_class().decode(row.session_data)
        if data.get(SESSION_KEY) != str(user_id):
            continue
        if agency_id is not None and data.get("agency_id") not in (None, agency_id):
            continue
        store_class(session_key=row.session_key).delete()
        ended += 1
    return ended


@dataclass(frozen=True)
class Departure:
    """What a deactivation moved, for the page and the supervisors' mail."""

    member: Membership
    to: Membership | None
    cases: int = 0
    followups: int = 0
    shifts_moved: int = 0
    shifts_dropped: int = 0
    slots_moved: int = 0
    slots_dropped: int = 0

    def sentences(self) -> list[str]:
        to = self.to.display_name if self.to else None
        said = []
        if self.cases:
            said.append(f"{self.cases} open case(s) went to {to or 'the unassigned queue'}.")
        if self.followups:
            said.append(
                f"{self.followups} pending follow-up(s) went to {to or 'whoever holds each case'}."
            )
        if self.shifts_moved or self.slots_moved:
            said.append(
                f"{self.shifts_moved} on-call shift(s) and {self.slots_moved} weekly slot(s) "
                f"went to {to}."
            )
        if self.shifts_dropped or self.slots_dropped:
            said.append(
                f"{self.shifts_dropped} on-call shift(s) and {self.slots_dropped} weekly slot(s) "
                "came off the roster: a supervisor must fill them (Team > On call)."
            )
        return said or ["They had no open cases, follow-ups or on-call shifts."]


def _refuse_successor(actor: Actor, member: Membership, cases_to: Membership | None) -> None:
    if cases_to is not None and (
        cases_to.agency_id != actor.agency.pk
        or cases_to.pk == member.pk
        or not cases_to.is_active
        or cases_to.role not in CASEWORKER_ROLES
    ):
        raise ValidationError(
            {"cases_to": gettext("Choose an active colleague who carries a caseload.")}
        )


def _hand_over_work(*, actor: Actor, member: Membership, cases_to: Membership | None) -> Departure:
    """Move the member's open cases, pending follow-ups and on-call roster to `cases_to`."""
    from haven.cases.models import OPEN_STATUSES, Case
    from haven.cases.services import case_assign
    from haven.followup.services import followups_hand_over
    from haven.oncall.services import roster_hand_over

    reason = f"{member.display_name} was deactivated"
    moved = 0
    for case in Case.objects.filter(
        agency=actor.agency, assigned_to=member, status__in=OPEN_STATUSES
    ).select_related("assigned_to__user"):
        case_assign(actor=actor, case=case, assignee=cases_to, reason=reason[:200])
        moved += 1
    followups = followups_hand_over(actor=actor, member=member, to=cases_to, reason=reason)
    roster = roster_hand_over(actor=actor, member=member, to=cases_to, reason=reason)
    return Departure(
        member=member,
        to=cases_to,
        cases=moved,
        followups=followups,
        shifts_moved=roster.shifts_moved,
        shifts_dropped=roster.shifts_dropped,
        slots_moved=roster.slots_moved,
        slots_dropped=roster.slots_dropped,
    )


def _tell_supervisors(*, actor: Actor, member: Membership, departure: Departure) -> None:
    """Mail the agency's supervisors, after commit, what moved and what is left to them."""
    supervisors = [
        m.user.email
        for m in Membership.objects.filter(
            agency=actor.agency, is_active=True, role=Role.SUPERVISOR
        ).select_related("user")
    ]
    transaction.on_commit(
        lambda: emails.send_member_left(
            to=supervisors,
            member_name=member.display_name,
            by=actor.membership.display_name if actor.membership else actor.label,
            agency=actor.agency.name,
            moved=departure.sentences(),
            tenant=actor.agency,
        ),
        robust=True,
    )


def member_deactivate(
    *, actor: Actor, member: Membership, cases_to: Membership | None = None
) -> Departure:
    """A member leaves: their membership stops working (their sessions in this agency end at
    once), the API tokens they made are revoked, and their work goes to `cases_to` (a
    colleague): open cases, the pending follow-ups given to them by name, their on-call shifts
    that have not ended and their weekly pattern slots. With nobody chosen, cases go to the
    unassigned queue, follow-ups back to whoever holds each case, and the shifts and slots
    come off the roster for a supervisor to fill. The supervisors are told by mail what moved
    and what is left to them; the returned Departure says the same for the page.

    Refused: yourself, the last active coordinator, a member already inactive, and a
    `cases_to` who is not another active caseworker of the agency.
    """
    from haven.integrations.models import ApiToken

    actor.require(Perm.AGENCY_CONFIGURE)
    actor.require_own(member)
    if not member.is_active:
        raise ValidationError(gettext("This member is already deactivated."))
    if actor.membership is not None and actor.membership.pk == member.pk:
        raise ValidationError(gettext("You can't deactivate yourself: ask another coordinator."))
    _refuse_successor(actor, member, cases_to)
    now = timezone.now()
    with transaction.atomic():
        _refuse_last_coordinator(actor.agency, member, "deactivate")
        claimed = Membership.objects.filter(pk=member.pk, is_active=True).update(is_active=False)
        if not claimed:
            raise ValidationError(gettext("This member is already deactivated."))
        member.is_active = False
        departure = _hand_over_work(actor=actor, member=member, cases_to=cases_to)
        tokens = ApiToken.objects.filter(
            agency=actor.agency, created_by=member, revoked_at__isnull=True
        ).update(revoked_at=now, revoked_by=actor.membership)
        Agency.objects.filter(pk=actor.agency.pk, on_call=member).update(on_call=None)
        Invitation.objects.filter(
            membership=member, used_at__isnull=True, revoked_at__isnull=True
        ).update(revoked_at=now)
        ended = sessions_end(user_id=member.user_id, agency_id=actor.agency.pk)
        audit_record(
            actor=actor,
            action=AuditAction.MEMBER_DEACTIVATE,
            obj=member,
            details={
                "cases_moved": departure.cases,
                "cases_to": cases_to.pk if cases_to else None,
                "followups_moved": departure.followups,
                "shifts_moved": departure.shifts_moved,
                "shifts_dropped": departure.shifts_dropped,
                "slots_moved": departure.slots_moved,
                "slots_dropped": departure.slots_dropped,
                "tokens_revoked": tokens,
                "sessions_ended": ended,
            },
        )
        _tell_supervisors(actor=actor, member=member, departure=departure)
    return departure


def member_reactivate(*, actor: Actor, member: Membership) -> Membership:
    """Let a deactivated member back in, with the role they had. Cases are not given back."""
    actor.require(Perm.AGENCY_CONFIGURE)
    actor.require_own(member)
    with transaction.atomic():
        if not Membership.objects.filter(pk=member.pk, is_active=False).update(is_active=True):
            raise ValidationError(gettext("This member is already active."))
        member.is_active = True
        audit_record(actor=actor, action=AuditAction.MEMBER_REACTIVATE, obj=member)
    return member


def member_district_set(
    *, actor: Actor, member: Membership, district: District | None
) -> Membership:
    """The district a member serves: the agencies app's own service, which audits it."""
    from haven.agencies.services import membership_set_district

    return membership_set_district(actor=actor, member=member, district=district)


def member_language_set(*, actor: Actor, language: str) -> None:
    """The language of the person's screens, on each of their memberships (one person, one
    language, whichever agency they work in). Audited with the old and new codes."""
    if language not in dict(settings.LANGUAGES):
        raise ValidationError(_("Choose one of the languages offered."))
    with transaction.atomic():
        mine = Membership.objects.with_scopes_disabled().filter(user_id=actor.membership.user_id)
        previous = actor.membership.language or settings.LANGUAGE_CODE
        mine.update(language=language)
        actor.membership.language = language
        audit_record(
            actor=actor,
            action=AuditAction.LANGUAGE_CHANGE,
            obj=actor.membership,
            details={"from": previous, "to": language},
        )
