"""Reads of partner referrals: a case's referrals, the list of referrals waiting on a partner,
and the de-identified outcome counts the reports read."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from haven.agencies.roles import Perm
from haven.audit.models import AuditAction
from haven.audit.services import audit_record
from haven.cases.models import Case
from haven.cases.selectors import cases_visible_to
from haven.core.actor import Actor
from haven.referrals.models import Referral, ReferralEvent, ReferralLink, ReferralStatus

# The list's default: sent this many days ago or more and still not answered.
WAITING_DAYS = 5


def _with_history(qs: QuerySet[Referral]) -> QuerySet[Referral]:
    return qs.select_related(
        "organization", "service", "person", "created_by__user"
    ).prefetch_related(
        Prefetch("events", queryset=ReferralEvent.objects.order_by("at", "id")),
        Prefetch(
            "links",
            queryset=ReferralLink.objects.filter(revoked_at__isnull=True),
            to_attr="unrevoked_links",
        ),
    )


def case_referrals(actor: Actor, case: Case) -> list[Referral]:
    """The case's partner referrals, newest first, with their history and live link. The
    caller has reached the case through access_case."""
    actor.require(Perm.CASE_VIEW)
    actor.require_own(case)
    now = timezone.now()
    referrals = list(_with_history(Referral.objects.filter(agency=actor.agency, case=case)))
    for referral in referrals:
        referral.live_link = next((x for x in referral.unrevoked_links if x.is_live(now)), None)
    return referrals


def may_see_team(actor: Actor) -> bool:
    """Supervisors and coordinators see everyone's referrals; advocates their own."""
    return actor.has(Perm.CASE_ASSIGN) and actor.sees_all_cases


def referrals_waiting(actor: Actor, *, days: int = WAITING_DAYS) -> list[Referral]:
    """Referrals sent at least `days` days ago that the partner has not answered: the
    specialist's own (they made it, or the case is theirs), everyone's for a supervisor.
    Longest waiting first. The list is audited (which referrals were shown)."""
    actor.require(Perm.CASE_VIEW)
    cutoff = timezone.now() - timedelta(days=max(0, days))
    qs = Referral.objects.filter(
        agency=actor.agency,
        case__in=cases_visible_to(actor),
        status=ReferralStatus.SENT,
        sent_at__lte=cutoff,
    )
    if not may_see_team(actor):
        qs = qs.filter(Q(created_by=actor.membership) | Q(case__assigned_to=actor.membership))
    rows = list(
        _with_history(qs)
        .select_related("case", "case__assigned_to__user")
        .order_by("sent_at", "id")
    )
    audit_record(
        actor=actor,
        action=AuditAction.PARTNER_REFERRAL_LIST,
        object_type="referrals.referral",
        details={"days": days, "team": may_see_team(actor), "shown": [r.pk for r in rows]},
    )
    return rows


def _moment(day: date | datetime, tz, *, end: bool = False) -> datetime:
    if isinstance(day, datetime):
        return day
    if end:
        day = day + timedelta(days=1)
    return datetime.combine(day, time.min, tzinfo=tz)


def referral_outcomes(
    actor: Actor,
    *,
    start: date | datetime,
    end: date | datetime,
    district=None,
    specialist=None,
) -> list[dict]:
    """How the referrals made between `start` and `end` (dates are whole days in the agency's
    zone, both included) stand, per partner organization and status:
    [{"organization": name, "organization_id": id, "status": value, "count": n}, ...].
    Optionally only cases of a district, or referrals made by one specialist (a Membership or
    its id). Counts only: no person, case or note, so they need no consent. Needs
    reports.aggregates."""
    actor.require(Perm.AGGREGATES_VIEW)
    tz = actor.agency.tz
    qs = Referral.objects.filter(
        agency=actor.agency,
        created_at__gte=_moment(start, tz),
        created_at__lt=_moment(end, tz, end=True),
    )
    if district is not None:
        qs = qs.filter(case__district=district)
    if specialist is not None:
        qs = qs.filter(created_by=specialist)
    rows = (
        qs.values("organization_id", "organization__name", "status")
        .annotate(count=Count("id"))
        .order_by("organization__name", "organization_id", "status")
    )
    return [
        {
            "organization": row["organization__name"],
            "organization_id": row["organization_id"],
            "status": row["status"],
            "count": row["count"],
        }
        for row in rows
    ]


def people_to_refer(case: Case) -> list[tuple]:
    """Who a referral from the case may be for: its victim, then the people it serves."""
    people = [(case.primary_victim, f"{case.primary_victim.full_name} (victim)")]
    links = case.related_people.filter(is_served=True).select_related("person").order_by("id")
    people += [
        (link.person, f"{link.person.full_name} ({link.get_relation_display().lower()})")
        for link in links
    ]
    return people
