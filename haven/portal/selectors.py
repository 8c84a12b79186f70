"""What the victim's status page shows: built only from the page's own case, person and
releases. It never reads notes, contacts, tasks or the case's other people; a section the
specialist has not released is None (the template shows nothing of it)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils import timezone

from haven.compensation.models import Claim
from haven.justice.models import CourtEvent, CustodyEvent
from haven.justice.selectors import UPCOMING
from haven.notices.render import format_moment
from haven.portal import words
from haven.portal.models import StatusPage
from haven.portal.texts import say
from haven.referrals.models import Referral


@dataclass
class Line:
    title: str
    detail: str = ""
    note: str = ""
    # A place's name as written (the courthouse and courtroom): the page isolates it (<bdi>), or
    # an English name would scramble an Arabic line around it.
    place: str = ""


@dataclass
class Status:
    language: str
    specialist: dict
    court: list[Line] | None = None
    custody: list[Line] = field(default_factory=list)
    compensation: list[Line] | None = None
    referrals: list[Line] | None = None
    next: list[str] = field(default_factory=list)


def moment(value, language: str, page: StatusPage) -> str:
    return format_moment(value, "zh" if language == "zh-hans" else language, page.agency.tz)


def court_events(page: StatusPage) -> list[CourtEvent]:
    """The upcoming court dates of the page's case (none unless released)."""
    if not page.show_court:
        return []
    return list(
        CourtEvent.objects.filter(
            case=page.case, status__in=UPCOMING, scheduled_at__gte=timezone.now()
        ).order_by("scheduled_at", "pk")
    )


def _court(page: StatusPage, language: str) -> list[Line]:
    lines = []
    for event in court_events(page):
        place = ", ".join(
            p for p in (event.courthouse, event.courtroom and f"#{event.courtroom}") if p
        )
        note = ""
        if event.previous_scheduled_at:
            note = say(
                language, "moved_from", when=moment(event.previous_scheduled_at, language, page)
            )
        title = words.word(words.COURT_EVENT, event.kind, language, event.get_kind_display())
        lines.append(
            Line(
                title=title,
                detail=moment(event.scheduled_at, language, page),
                place=place,
                note=note,
            )
        )
    return lines


def _custody(page: StatusPage, language: str) -> list[Line]:
    released = CustodyEvent.objects.filter(
        case=page.case, pk__in=page.custody.values("custody_event_id")
    ).order_by("-occurred_at")
    return [
        Line(
            title=words.word(words.CUSTODY_EVENT, e.kind, language, e.get_kind_display()),
            detail=moment(e.occurred_at.date(), language, page),
        )
        for e in released
    ]


def _compensation(page: StatusPage, language: str) -> list[Line]:
    claims = Claim.objects.filter(case=page.case, claimant=page.person).order_by("created_at")
    return [
        Line(
            title=words.word(words.CLAIM_STATUS, c.status, language, c.get_status_display()),
            detail=say(language, "claim_number", number=c.state_claim_number)
            if c.state_claim_number
            else "",
        )
        for c in claims
    ]


def _referrals(page: StatusPage, language: str) -> list[Line]:
    found = (
        Referral.objects.filter(case=page.case, person=page.person)
        .select_related("organization", "service")
        .order_by("created_at")
    )
    return [
        Line(
            title=f"{r.organization.name} · {r.service.name}",
            detail=words.word(words.REFERRAL_STATUS, r.status, language, r.get_status_display()),
        )
        for r in found
    ]


def _specialist(page: StatusPage) -> dict:
    member = page.case.assigned_to
    if member is None:
        return {"name": "", "phone": page.agency.phone, "email": ""}
    return {
        "name": member.display_name,
        "phone": member.phone or page.agency.phone,
        "email": member.user.email,
    }


def status_of(page: StatusPage, language: str) -> Status:
    status = Status(language=language, specialist=_specialist(page))
    if page.show_court:
        status.court = _court(page, language)
    status.custody = _custody(page, language)
    if page.show_compensation:
        status.compensation = _compensation(page, language)
    if page.show_referrals:
        status.referrals = _referrals(page, language)
    upcoming = court_events(page)
    if upcoming:
        status.next.append(
            # "at 10 a.m." ends in a period already: no second one from the sentence.
            say(
                language,
                "next_court",
                when=moment(upcoming[0].scheduled_at, language, page).rstrip("."),
            )
        )
    if page.next_steps:
        status.next.append(page.next_steps)
    if not status.next:
        status.next.append(say(language, "next_default"))
    return status
