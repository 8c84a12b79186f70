"""Agency B's justice objects for the tenant isolation walk (haven/core/tests)."""

from datetime import timedelta

from django.utils import timezone

from haven.core.actor import Actor
from haven.justice import ics, services


def other_agency_justice(cast) -> dict:
    """A court case, a court date with its obligations, and a live calendar link of B's victim.
    The walk opens the public feed with A's address and B's real token: a token only works
    under its own agency."""
    system = Actor.system(cast.agency_b, "pytest")
    court_case = services.court_case_save(
        actor=system, case=cast.case_b, court="Circuit Court", number="26CR0002", feed=True
    )
    event = services.court_event_record(
        actor=system,
        court_case=court_case,
        kind="arraignment",
        scheduled_at=timezone.now() + timedelta(days=10),
        courthouse="County Courthouse",
        source="api",
    )
    feed = services.calendar_feed_create(
        actor=system, case=cast.case_b, person=cast.case_b.primary_victim
    )
    return {
        "court_case_id": court_case.pk,
        "court_event_id": event.pk,
        "obligation_id": event.obligations.first().pk,
        "feed_id": feed.pk,
        "ics_agency": cast.agency_a.slug,
        "ics_token": ics.feed_token(feed),
    }
