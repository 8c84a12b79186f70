"""The victim's private court calendar link: made, and revoked."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from haven.audit.models import AuditAction
from haven.audit.services import audit_record
from haven.cases.models import Case
from haven.core.actor import Actor
from haven.justice.models import CalendarFeed
from haven.justice.services.permissions import _require_case_write
from haven.justice.services.rights import victims_of
from haven.people.models import Person


def calendar_feed_create(*, actor: Actor, case: Case, person: Person) -> CalendarFeed:
    """A new private calendar link for a victim on the case; any older link of the person is
    revoked (one live link a person)."""
    _require_case_write(actor, case)
    if person.pk not in {p.pk for p in victims_of(case)}:
        raise ValidationError(
            {"person": gettext("Only a victim the case serves gets a court calendar.")}
        )
    now = timezone.now()
    with transaction.atomic():
        CalendarFeed.objects.filter(
            agency=case.agency, person=person, revoked_at__isnull=True
        ).update(revoked_at=now)
        feed = CalendarFeed.objects.create(
            agency=case.agency, person=person, created_by=actor.membership
        )
        audit_record(
            actor=actor,
            action=AuditAction.CALENDAR_FEED,
            obj=feed,
            details={"case": case.pk, "person": person.pk, "made": True},
        )
    return feed


def calendar_feed_revoke(*, actor: Actor, case: Case, feed: CalendarFeed) -> CalendarFeed:
    _require_case_write(actor, case)
    if feed.revoked_at is not None:
        raise ValidationError(gettext("This calendar link is already revoked."))
    with transaction.atomic():
        feed.revoked_at = timezone.now()
        feed.save(update_fields=["revoked_at"])
        audit_record(
            actor=actor,
            action=AuditAction.CALENDAR_FEED,
            obj=feed,
            details={"case": case.pk, "person": feed.person_id, "revoked": True},
        )
    return feed
