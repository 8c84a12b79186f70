"""Reads of releases of information: a case's people and their releases, the agency's
settings, and the releases about to expire."""

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from haven.agencies.roles import Perm
from haven.cases.models import Case
from haven.cases.selectors import cases_visible_to
from haven.consent.models import ConsentSettings, ReleaseOfInformation
from haven.core.actor import Actor
from haven.people.models import Person


def settings_for(agency) -> ConsentSettings:
    """The agency's consent settings; an unsaved row with the defaults when it has none."""
    found = ConsentSettings.objects.filter(agency=agency).first()
    return found or ConsentSettings(agency=agency)


def consent_people(case: Case) -> list[tuple[Person, str]]:
    """Whose releases the case shows: the primary victim first, then the people it serves."""
    people = [(case.primary_victim, "victim")]
    links = case.related_people.filter(is_served=True).select_related("person").order_by("id")
    people += [(link.person, link.get_relation_display().lower()) for link in links]
    return people


def person_on_case(case: Case, person_id: int) -> Person | None:
    for person, _relation in consent_people(case):
        if person.pk == person_id:
            return person
    return None


@dataclass(frozen=True)
class PersonReleases:
    person: Person
    relation: str
    releases: list[ReleaseOfInformation]


def releases_on_case(actor: Actor, case: Case) -> list[PersonReleases]:
    """For a case fetched through access_case: each person on it and all their releases
    (in force first, then the newest), whichever case they were recorded on."""
    actor.require(Perm.CASE_VIEW)
    actor.require_own(case)
    people = consent_people(case)
    releases = list(
        ReleaseOfInformation.objects.filter(
            agency=actor.agency, person__in=[person for person, _ in people]
        ).select_related("recipient_organization", "revoked_by__user", "recorded_by__user")
    )
    now = timezone.now()
    releases.sort(key=lambda r: (not r.is_in_force(now), -r.signed_at.timestamp()))
    return [
        PersonReleases(person, relation, [r for r in releases if r.person_id == person.pk])
        for person, relation in people
    ]


def releases_expiring(actor: Actor, *, within_days: int | None = None) -> QuerySet:
    """Releases in force that expire within the window (the agency's setting, 14 days by
    default): on the actor's own cases, or everyone's for supervisors and coordinators."""
    if not actor.has(Perm.CASE_VIEW):
        return ReleaseOfInformation.objects.none()
    if within_days is None:
        within_days = settings_for(actor.agency).expiring_window_days
    now = timezone.now()
    releases = ReleaseOfInformation.objects.filter(
        agency=actor.agency,
        revoked_at__isnull=True,
        expires_at__gt=now,
        expires_at__lte=now + timedelta(days=within_days),
        case__in=cases_visible_to(actor),
    )
    if not actor.has(Perm.CASE_ASSIGN):
        mine = actor.membership
        releases = releases.filter(Q(case__assigned_to=mine) | Q(recorded_by=mine))
    return releases.select_related("person", "case", "recipient_organization").order_by(
        "expires_at", "id"
    )


def expiring_count(actor: Actor, *, within_days: int | None = None) -> int:
    """How many releases the actor should renew or let lapse soon (for digests and caseloads)."""
    return releases_expiring(actor, within_days=within_days).count()
