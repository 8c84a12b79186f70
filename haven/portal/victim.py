"""The victim's side of the status page: one-time codes, opening the page (code or date of
birth), and the choices they make there. The victim has no account: each call acts as the
system for their agency, labelled "victim (status page)" with their address, so the audit log
and the case timeline say who changed what.

Codes are six digits, kept only as a keyed hash (HMAC with the site's secret key: six digits
are too few for a plain hash), live 15 minutes from when they may be sent, and open the page
once. Five wrong tries in a row (codes or dates of birth) lock the page for 15 minutes and void
its unused codes; at most three codes an hour are sent."""

import secrets
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum

from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from haven.audit.models import AuditAction
from haven.audit.services import audit_record
from haven.core.actor import Actor
from haven.notices.models import Channel, MessageStatus, OptOutChannel
from haven.notices.services import message_queue, opt_out_record, opted_out_channels
from haven.people.models import ContactKind, ContactPoint
from haven.people.services import contact_point_set_safety, person_update
from haven.portal import events
from haven.portal.models import AccessCode, StatusPage
from haven.portal.texts import LANGUAGE_NAMES, person_language

CODE_LIFE = timedelta(minutes=15)
CODES_PER_HOUR = 3
MAX_TRIES = 5
LOCK = timedelta(minutes=15)
_SALT = "haven.portal.code"


class CodeResult(StrEnum):
    SENT = "sent"
    HELD = "held"  # waits for the victim's safe hours; `when` says until when
    NO_SAFE = "no_safe"
    TOO_MANY = "too_many"
    LOCKED = "locked"


class OpenResult(StrEnum):
    OPEN = "open"
    WRONG = "wrong"
    LOCKED = "locked"


@dataclass(frozen=True)
class Sent:
    result: CodeResult
    when: datetime | None = None


def victim_actor(page: StatusPage, ip: str | None) -> Actor:
    return Actor(agency=page.agency, system_label="victim (status page)", ip=ip)


def _digest(page: StatusPage, code: str) -> str:
    return salted_hmac(_SALT, f"{page.pk}:{code}", algorithm="sha256").hexdigest()


def safe_points(page: StatusPage) -> list[ContactPoint]:
    """The phones the victim said are safe to text and the emails safe to mail."""
    points = ContactPoint.objects.filter(person=page.person, ok_to_contact=True)
    return [
        p
        for p in points
        if (p.kind == ContactKind.PHONE and p.ok_text)
        or (p.kind == ContactKind.EMAIL and p.ok_mail)
    ]


def _code_channel(page: StatusPage) -> str | None:
    """A text to a safe phone first, else an email to a safe address; None if neither (or the
    victim stopped those messages)."""
    kinds = {p.kind for p in safe_points(page)}
    opted = opted_out_channels(page.person)
    for channel, kind in ((Channel.SMS, ContactKind.PHONE), (Channel.EMAIL, ContactKind.EMAIL)):
        if kind in kinds and channel not in opted and OptOutChannel.ALL not in opted:
            return channel
    return None


def _locked(page: StatusPage, now: datetime) -> bool:
    return page.locked_until is not None and page.locked_until > now


def code_send(*, page: StatusPage, ip: str | None) -> Sent:
    """Send a code to a safe contact point (audited), unless the page is locked, three codes
    went out this hour, or nothing safe can carry it."""
    actor, now = victim_actor(page, ip), timezone.now()
    with transaction.atomic():
        page = StatusPage.objects.select_for_update().get(pk=page.pk)
        refused = None
        if _locked(page, now):
            refused = CodeResult.LOCKED
        elif page.codes.filter(created_at__gt=now - timedelta(hours=1)).count() >= CODES_PER_HOUR:
            refused = CodeResult.TOO_MANY
        channel = _code_channel(page)
        if refused is None and channel is None:
            refused = CodeResult.NO_SAFE
        if refused is not None:
            _refused(actor, page, f"code: {refused}")
            return Sent(refused)
        code = f"{secrets.randbelow(10**6):06d}"
        row = AccessCode.objects.create(
            agency=page.agency,
            page=page,
            code_digest=_digest(page, code),
            created_at=now,
            expires_at=now + CODE_LIFE,
        )
        made = message_queue(
            actor=actor,
            case=page.case,
            person=page.person,
            template="portal_code",
            facts={"code": code},
            dedupe_key=f"portal-code:{row.pk}",
            channels=[channel],
            source=f"portal.page:{page.pk}",
        )
        alive = [m for m in made if m.status in (MessageStatus.QUEUED, MessageStatus.DEFERRED)]
        if not alive:
            row.used_at = now  # nothing carries it: void it
            row.save(update_fields=["used_at"])
            _refused(actor, page, "code: no safe channel")
            return Sent(CodeResult.NO_SAFE)
        held = [m.next_attempt_at for m in alive if m.status == MessageStatus.DEFERRED]
        when = max(held) if len(held) == len(alive) else None
        if when is not None:
            row.expires_at = when + CODE_LIFE
            row.save(update_fields=["expires_at"])
        audit_record(
            actor=actor,
            action=AuditAction.PORTAL_CODE,
            obj=page,
            details={"channel": channel, "held_until": when.isoformat() if when else None},
        )
    return Sent(CodeResult.HELD, when) if when else Sent(CodeResult.SENT)


def _refused(actor: Actor, page: StatusPage, why: str) -> None:
    audit_record(actor=actor, action=AuditAction.PORTAL_REFUSED, obj=page, details={"why": why})


def page_open(
    *, page: StatusPage, code: str = "", dob: date | None = None, ip: str | None
) -> OpenResult:
    """Open the page with a live code, or the date of birth where the victim chose it. Wrong
    tries count; the fifth in a row locks the page and voids its codes."""
    actor, now = victim_actor(page, ip), timezone.now()
    code = "".join(ch for ch in code if ch.isdigit())
    with transaction.atomic():
        page = StatusPage.objects.select_for_update().select_related("person").get(pk=page.pk)
        if _locked(page, now):
            _refused(actor, page, "locked")
            return OpenResult.LOCKED
        how, match = "code", None
        if code:
            digest = _digest(page, code)
            live = page.codes.filter(used_at__isnull=True, expires_at__gt=now)
            match = next((c for c in live if constant_time_compare(c.code_digest, digest)), None)
        elif dob is not None and page.dob_allowed and page.person.date_of_birth:
            how = "date of birth"
            match = page if page.person.date_of_birth == dob else None
        if match is None:
            page.failed_attempts += 1
            fields = ["failed_attempts"]
            if page.failed_attempts >= MAX_TRIES:
                page.failed_attempts, page.locked_until = 0, now + LOCK
                fields.append("locked_until")
                page.codes.filter(used_at__isnull=True).update(used_at=now)
            page.save(update_fields=fields)
            _refused(actor, page, f"wrong {how}" + (": locked" if "locked_until" in fields else ""))
            return OpenResult.LOCKED if "locked_until" in fields else OpenResult.WRONG
        if isinstance(match, AccessCode):
            match.used_at = now
            match.save(update_fields=["used_at"])
        page.failed_attempts, page.last_opened_at = 0, now
        page.save(update_fields=["failed_attempts", "last_opened_at"])
        audit_record(actor=actor, action=AuditAction.PORTAL_SIGN_IN, obj=page, details={"how": how})
    return OpenResult.OPEN


def language_set(*, page: StatusPage, language: str, ip: str | None) -> bool:
    """The victim's language for messages and this page; the specialist sees it on the case."""
    actor = victim_actor(page, ip)
    stored = person_language(language)
    if stored == page.person.preferred_language:
        return False
    with transaction.atomic():
        person_update(actor=actor, person=page.person, preferred_language=stored)
        _changed(actor, page, f"language: {LANGUAGE_NAMES.get(language, language)}")
    return True


@dataclass(frozen=True)
class PointChoice:
    point: ContactPoint
    ok: bool
    safe_from: time | None
    safe_until: time | None


def safety_set(*, page: StatusPage, choices: list[PointChoice], ip: str | None) -> bool:
    """The victim's safe times and channels for each of their phones and emails."""
    actor = victim_actor(page, ip)
    changed = []
    with transaction.atomic():
        for choice in choices:
            if choice.point.person_id != page.person_id:
                raise ValueError("Not this person's contact point.")
            ok = {"ok_text" if choice.point.kind == ContactKind.PHONE else "ok_mail": choice.ok}
            changed += contact_point_set_safety(
                actor=actor,
                point=choice.point,
                safe_from=choice.safe_from,
                safe_until=choice.safe_until,
                **ok,
            )
        if changed:
            what = sorted({"safe times" if "safe" in n else "channels" for n in changed})
            _changed(actor, page, " and ".join(what))
    return bool(changed)


def messages_stop(*, page: StatusPage, channel: str, ip: str | None) -> None:
    """Stop texts, emails or all messages (the notices opt-out, recorded as via the page)."""
    actor = victim_actor(page, ip)
    with transaction.atomic():
        opt_out_record(actor=actor, person=page.person, channel=channel, via="portal")
        label = dict(OptOutChannel.choices).get(channel, channel).lower()
        _changed(actor, page, f"stopped {label}")


def _changed(actor: Actor, page: StatusPage, what: str) -> None:
    audit_record(actor=actor, action=AuditAction.PORTAL_CHANGE, obj=page, details={"what": what})
    events.page_event(actor, page, f"the victim changed on their status page: {what}")


def page_read(*, page: StatusPage, ip: str | None, what: str) -> None:
    """Every read of the page (the gate, the status, the calendar) is audited."""
    action = {
        "gate": AuditAction.PORTAL_GATE,
        "calendar": AuditAction.PORTAL_CALENDAR,
    }.get(what, AuditAction.PORTAL_VIEW)
    audit_record(actor=victim_actor(page, ip), action=action, obj=page, details={"what": what})
