"""Reads of the agency's outreach rules (coordinators: agency.configure)."""

from datetime import timedelta

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from haven.agencies.models import District
from haven.agencies.roles import Perm
from haven.core.actor import Actor
from haven.outreach.models import OutreachDecision, OutreachOutcome, OutreachRule

RECENT_DAYS = 30


def outreach_rules(actor: Actor) -> QuerySet[OutreachRule]:
    """The agency's rules in the order they are tried, each with how many cases it opened and
    how many victims it held back in the last 30 days."""
    if not actor.has(Perm.AGENCY_CONFIGURE):
        return OutreachRule.objects.none()
    since = timezone.now() - timedelta(days=RECENT_DAYS)
    recent = Q(decisions__decided_at__gte=since)
    return (
        OutreachRule.objects.filter(agency=actor.agency)
        .select_related("assign_to__user")
        .prefetch_related("districts")
        .annotate(
            opened_recently=Count(
                "decisions", filter=recent & Q(decisions__outcome=OutreachOutcome.OPENED)
            ),
            held_recently=Count(
                "decisions", filter=recent & ~Q(decisions__outcome=OutreachOutcome.OPENED)
            ),
        )
        .order_by("position", "id")
    )


def access_outreach_rule(actor: Actor, rule_id) -> OutreachRule:
    """One of the agency's rules; 404 for another agency's or a missing one."""
    try:
        return outreach_rules(actor).get(pk=int(rule_id))
    except (OutreachRule.DoesNotExist, ValueError, TypeError):
        raise Http404("No such outreach rule.") from None


def agency_districts(actor: Actor) -> QuerySet[District]:
    return District.objects.filter(agency=actor.agency).order_by("code")


def victims_waiting_for_review(actor: Actor) -> int:
    """Victims whose outreach case waits for a match decision (shown on the queue)."""
    if not actor.has(Perm.PERSON_VIEW):
        return 0
    return OutreachDecision.objects.filter(
        agency=actor.agency, outcome=OutreachOutcome.AWAITING_REVIEW
    ).count()
