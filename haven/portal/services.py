"""The specialist's side of the status page: offer it, send a new link, choose what it shows,
revoke it. Each checks case.work on the actor's own case, writes its audit event and its
timeline line in one transaction, and sends the link through notices after commit (contract 2).

The victim's side (codes, sign-in, their choices) is in `victim.py`."""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from haven.agencies.roles import Perm
from haven.audit.models import AuditAction
from haven.audit.services import audit_record
from haven.cases.models import Case
from haven.core.actor import Actor
from haven.justice.models import CustodyEvent
from haven.justice.services import victims_of
from haven.lib.tokens import new_token
from haven.notices.models import Channel, Message, MessageStatus
from haven.notices.services import message_queue
from haven.people.models import Person
from haven.portal import events
from haven.portal.models import CustodyRelease, StatusPage

DEFAULT_DAYS = 90
MAX_DAYS = 365
RELEASE_FLAGS = ("show_court", "show_compensation", "show_referrals")


@dataclass(frozen=True)
class Offered:
    page: StatusPage
    # The link, to hand over in person when no written channel is safe; shown once.
    url: str
    # How it went out: "text message", "email", or "" when nothing safe could carry it.
    sent_by: list[str]


def _url(token: str) -> str:
    path = reverse("portal:page", args=[token])
    return f"{getattr(settings, 'SITE_URL', '').rstrip('/')}{path}"


def _require(actor: Actor, case: Case) -> None:
    actor.require(Perm.CASE_WORK)
    actor.require_own(case)
    if not case.is_open:
        raise ValidationError("The case is closed: reopen it to offer the status page.")


def _send_link(actor: Actor, page: StatusPage, token: str) -> list[Message]:
    """The link, by text or email where the victim said it is safe; never a letter."""
    made = message_queue(
        actor=actor,
        case=page.case,
        person=page.person,
        template="portal_link",
        facts={"link": _url(token)},
        dedupe_key=f"portal-link:{page.token_digest[:24]}",
        channels=[Channel.SMS, Channel.EMAIL],
        source=f"portal.page:{page.pk}",
    )
    return [m for m in made if m.status != MessageStatus.SUPPRESSED]


def _set_custody(actor: Actor, page: StatusPage, custody_ids) -> list[int]:
    """Release exactly these custody events of the page's case; returns the ids now released."""
    wanted = set(
        CustodyEvent.objects.filter(case=page.case, pk__in=list(custody_ids or ())).values_list(
            "pk", flat=True
        )
    )
    have = set(page.custody.values_list("custody_event_id", flat=True))
    page.custody.exclude(custody_event_id__in=wanted).delete()
    for pk in sorted(wanted - have):
        CustodyRelease.objects.create(
            agency=page.agency, page=page, custody_event_id=pk, released_by=actor.membership
        )
    return sorted(wanted)


def _check_dob(person: Person, dob_allowed: bool) -> None:
    if dob_allowed and not person.date_of_birth:
        raise ValidationError(
            {"dob_allowed": "Record the person's date of birth first, or use codes only."}
        )


# long: one audited offer, its releases, its timeline line and its link, validated together
def page_offer(
    *,
    actor: Actor,
    case: Case,
    person: Person,
    days: int = DEFAULT_DAYS,
    dob_allowed: bool = False,
    show_court: bool = False,
    show_compensation: bool = False,
    show_referrals: bool = False,
    custody_ids=(),
    next_steps: str = "",
) -> Offered:
    """Offer the victim their status page and send them its link.

    Refused without case.work, on another agency's or a closed case, for someone the case does
    not serve, while a live page for them exists (send a new link instead), for a validity
    outside 1..365 days, and with the date of birth chosen but not recorded."""
    _require(actor, case)
    if person.pk not in {p.pk for p in victims_of(case)}:
        raise PermissionDenied("The status page is only for a victim this case serves.")
    if not 1 <= days <= MAX_DAYS:
        raise ValidationError({"days": f"Choose between 1 and {MAX_DAYS} days."})
    _check_dob(person, dob_allowed)
    now = timezone.now()
    live = StatusPage.objects.filter(
        case=case, person=person, revoked_at__isnull=True, expires_at__gt=now
    )
    if live.exists():
        raise ValidationError("This person already has a status page: send a new link instead.")
    token, digest = new_token(nbytes=16)
    with transaction.atomic():
        page = StatusPage.objects.create(
            agency=case.agency,
            case=case,
            person=person,
            token_digest=digest,
            dob_allowed=dob_allowed,
            show_court=show_court,
            show_compensation=show_compensation,
            show_referrals=show_referrals,
            next_steps=next_steps.strip(),
            created_by=actor.membership,
            created_at=now,
            expires_at=now + timedelta(days=days),
        )
        released = _set_custody(actor, page, custody_ids)
        audit_record(
            actor=actor,
            action=AuditAction.PORTAL_OFFER,
            obj=page,
            details={
                "case": case.pk,
                "person": person.pk,
                "days": days,
                "dob_allowed": dob_allowed,
                "released": [f for f in RELEASE_FLAGS if getattr(page, f)],
                "custody": released,
            },
        )
        events.page_event(actor, page, f"status page offered to {person.full_name}")
        sent = _send_link(actor, page, token)
    return Offered(page=page, url=_url(token), sent_by=_channels(sent))


def _channels(messages: list[Message]) -> list[str]:
    return [m.get_channel_display().lower() for m in messages]


def page_new_link(*, actor: Actor, page: StatusPage) -> Offered:
    """A new link for a live page (the old one stops working), sent again. Refused on a revoked
    or expired page and on a closed case."""
    _require(actor, page.case)
    if not page.is_live():
        raise ValidationError("This status page has ended: offer a new one.")
    token, page.token_digest = new_token(nbytes=16)
    with transaction.atomic():
        page.save(update_fields=["token_digest"])
        audit_record(
            actor=actor, action=AuditAction.PORTAL_LINK, obj=page, details={"case": page.case_id}
        )
        events.page_event(actor, page, "new status page link sent; the old one stopped working")
        sent = _send_link(actor, page, token)
    return Offered(page=page, url=_url(token), sent_by=_channels(sent))


def page_release(
    *,
    actor: Actor,
    page: StatusPage,
    dob_allowed: bool,
    show_court: bool,
    show_compensation: bool,
    show_referrals: bool,
    custody_ids=(),
    next_steps: str = "",
) -> StatusPage:
    """Change what the page shows. Anything not released here is not shown (fail closed)."""
    _require(actor, page.case)
    if not page.is_live():
        raise ValidationError("This status page has ended.")
    _check_dob(page.person, dob_allowed)
    wanted = {
        "dob_allowed": dob_allowed,
        "show_court": show_court,
        "show_compensation": show_compensation,
        "show_referrals": show_referrals,
        "next_steps": next_steps.strip(),
    }
    changed = [name for name, value in wanted.items() if getattr(page, name) != value]
    for name in changed:
        setattr(page, name, wanted[name])
    with transaction.atomic():
        if changed:
            page.save(update_fields=changed)
        released = _set_custody(actor, page, custody_ids)
        audit_record(
            actor=actor,
            action=AuditAction.PORTAL_RELEASE,
            obj=page,
            details={"changed": changed, "custody": released},
        )
        events.page_event(actor, page, "changed what the status page shows")
    return page


def page_revoke(*, actor: Actor, page: StatusPage) -> StatusPage:
    """The link stops working at once, and any open session with it."""
    actor.require(Perm.CASE_WORK)
    actor.require_own(page)
    if page.revoked_at is not None:
        return page
    page.revoked_at, page.revoked_by = timezone.now(), actor.membership
    with transaction.atomic():
        page.save(update_fields=["revoked_at", "revoked_by"])
        audit_record(
            actor=actor, action=AuditAction.PORTAL_REVOKE, obj=page, details={"case": page.case_id}
        )
        events.page_event(actor, page, "status page revoked")
    return page
