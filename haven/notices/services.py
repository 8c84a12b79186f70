"""Every change to a message to a victim: queueing (contract 2, `message_queue`), the worker's
claim-send-mark cycle, staff actions (cancel, retry, mark mailed or called, send a message),
opt-outs and the agency's notice settings.

Never send twice: a message goes out only from the worker that claimed it (its claim token)
and handed it over with a conditional UPDATE (queued/deferred -> sending) committed first. A
message still "sending" after the lease means the worker died mid-send: it becomes "uncertain"
and a specialist checks. It is not resent by itself, because SMTP and most SMS APIs have no
idempotency key: the mail may well have left before the worker died. (The batch protocol:
"the worker" below.)
"""

import contextlib
import logging
import os
import smtplib
import uuid
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage, get_connection
from django.core.mail.backends.smtp import EmailBackend as SmtpBackend
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from haven.agencies.models import Agency
from haven.agencies.roles import Perm
from haven.audit.models import AuditAction
from haven.audit.services import audit_record, audit_record_many
from haven.cases.models import Case, CasePerson, Task
from haven.cases.services import task_add, task_complete
from haven.core.actor import Actor
from haven.core.scoping import agency_scope, all_agencies
from haven.core.versions import check_version, save_versioned
from haven.lib.tokens import new_token
from haven.notices import automatic, events, render, rules, sms
from haven.notices.bounces import bounce_address as delivery_bounce_address
from haven.notices.mail import plain_email_bytes
from haven.notices.models import (
    AUTOMATIC_CHANNELS,
    CANCELLABLE,
    DUE_STATUSES,
    AutoMode,
    Channel,
    Message,
    MessageStatus,
    NoticeSettings,
    OptOut,
    OptOutChannel,
)
from haven.notices.signals import message_delivered, message_sent
from haven.people.models import ContactKind, ContactPoint, Person

logger = logging.getLogger(__name__)

# Waits before the 2nd, 3rd, 4th and 5th attempt; the 5th failure is final.
BACKOFF = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=30), timedelta(hours=2))
MAX_ATTEMPTS = 5
# A claim older than this with no result: the worker died mid-send.
LEASE = timedelta(minutes=10)
# Test hook: the worker process exits hard after this many sends (see tests/test_worker.py).
CRASH_ENV = "HAVEN_NOTICES_CRASH_AFTER"
# Sources whose automatic updates an agency may switch off, and the setting for each.
UPDATE_SWITCHES = {
    "specialist_assigned": "specialist_assigned",
    "court_date": "court_date",
    "arrest": "arrest",
}
OBLIGATION_PREFIX = "justice.obligation"


class TransientError(Exception):
    """A failure worth retrying later."""


class PermanentError(Exception):
    """A failure no retry will fix (a refused address, a bad number)."""


# ---------------------------------------------------------------- settings and opt-outs


def notice_settings(agency: Agency) -> NoticeSettings:
    """The agency's settings, created with the defaults the first time they are asked for."""
    found = NoticeSettings.objects.filter(agency=agency).first()
    if found is None:
        try:
            with transaction.atomic():
                found = NoticeSettings.objects.create(agency=agency)
        except IntegrityError:
            found = NoticeSettings.objects.get(agency=agency)
    return found


def notice_settings_update(*, actor: Actor, version: int | None = None, **fields) -> NoticeSettings:
    """Change quiet hours, the automatic-update switches or the SMS sender (coordinators).
    Refused (StaleEdit, nothing written) when the settings were saved since `version`."""
    actor.require(Perm.AGENCY_CONFIGURE)
    current = notice_settings(actor.agency)
    check_version(current, version)
    allowed = {
        "quiet_start",
        "quiet_end",
        "specialist_assigned",
        "court_date",
        "arrest",
        "investigation_status_dv",
        "investigation_status_other",
        "sms_sender",
        "first_contact_warn_hours",
        "resolution_warn_days",
    }
    unknown = set(fields) - allowed
    if unknown:
        raise ValidationError(f"Unknown notice settings: {', '.join(sorted(unknown))}.")
    changed = {}
    for name, value in fields.items():
        if getattr(current, name) != value:
            changed[name] = str(value)
            setattr(current, name, value)
    if not changed:
        return current
    if "first_contact_warn_hours" in changed and not 1 <= current.first_contact_warn_hours <= 720:
        raise ValidationError(
            {"first_contact_warn_hours": gettext("Give a number of hours from 1 to 720.")}
        )
    if "resolution_warn_days" in changed and not current.resolution_warn_days <= 365:
        raise ValidationError(
            {"resolution_warn_days": gettext("Give a number of days from 0 to 365.")}
        )
    with transaction.atomic():
        current.full_clean()
        save_versioned(current, version=version, fields=[*changed, "updated_at"])
        audit_record(actor=actor, action=AuditAction.NOTICE_SETTINGS, obj=current, details=changed)
    return current


def opted_out_channels(person: Person) -> set[str]:
    return set(
        OptOut.objects.filter(person=person, ended_at__isnull=True).values_list(
            "channel", flat=True
        )
    )


def _blocked(channel: str, opted: set[str]) -> bool:
    if OptOutChannel.ALL in opted:
        return channel in (Channel.EMAIL, Channel.SMS, Channel.LETTER)
    return channel in opted


def opt_out_record(*, actor: Actor, person: Person, channel: str, via: str = "staff") -> OptOut:
    """The person stops a channel (or all messages). Takes effect at once: queued messages on
    that channel are suppressed, and message_queue skips it from now on."""
    actor.require_own(person)
    if via == "staff":
        actor.require(Perm.PERSON_EDIT)
    if channel not in OptOutChannel.values:
        raise ValidationError({"channel": gettext("Choose email, text messages, or all messages.")})
    now = timezone.now()
    with transaction.atomic():
        existing = OptOut.objects.filter(
            person=person, channel=channel, ended_at__isnull=True
        ).first()
        opt_out = existing or OptOut.objects.create(
            agency=person.agency,
            person=person,
            channel=channel,
            via=via,
            recorded_by=actor.membership,
            created_at=now,
        )
        channels = (
            [Channel.EMAIL, Channel.SMS, Channel.LETTER]
            if channel == OptOutChannel.ALL
            else [channel]
        )
        pending = list(
            Message.objects.filter(
                person=person,
                channel__in=channels,
                status__in=(*DUE_STATUSES, MessageStatus.READY),
            )
        )
        called: set[str] = set()
        for message in pending:
            updated = Message.objects.filter(pk=message.pk, status=message.status).update(
                status=MessageStatus.SUPPRESSED,
                status_note="The person opted out of this channel.",
                updated_at=now,
            )
            if updated:
                events.message_event(actor, message, "not sent: the person opted out")
        for message in pending:
            # A rights notice the person must still hear of: the duty remains, by phone.
            if _still_owed(message) and message.dedupe_key not in called:
                called.add(message.dedupe_key)
                _call_instead(
                    message,
                    "The person opted out of written messages; this rights notice must "
                    "reach them by phone.",
                    actor=actor,
                )
        if existing is None:
            audit_record(
                actor=actor,
                action=AuditAction.NOTICE_OPT_OUT,
                obj=opt_out,
                details={"person": person.pk, "channel": channel, "via": via},
            )
    return opt_out


def opt_in_record(*, actor: Actor, person: Person, channel: str) -> int:
    """Staff record that the person wants a channel again; returns how many opt-outs ended."""
    actor.require(Perm.PERSON_EDIT)
    actor.require_own(person)
    with transaction.atomic():
        ended = OptOut.objects.filter(person=person, channel=channel, ended_at__isnull=True).update(
            ended_at=timezone.now(), ended_by=actor.membership
        )
        if ended:
            audit_record(
                actor=actor,
                action=AuditAction.NOTICE_OPT_IN,
                obj=person,
                details={"channel": channel},
            )
    return ended


# ---------------------------------------------------------------- queueing (contract 2)


def _first_point(points: list[ContactPoint], kind: str, flag: str | None) -> ContactPoint | None:
    for point in points:
        if point.kind == kind and (flag is None or getattr(point, flag)):
            return point
    return None


def _plan(person: Person, channels: list[str] | None, obligation: bool) -> list[tuple]:
    """[(channel, contact point or None, status, note)] for one message.

    Email and SMS go wherever the person said mail or texts are safe; a letter only when
    neither is usable; a phone task for the specialist when no written channel is safe (or an
    opted-out person must still hear of a rights obligation).
    """
    points = list(person.contact_points.filter(ok_to_contact=True))
    opted = opted_out_channels(person)
    usable = {
        Channel.EMAIL: _first_point(points, ContactKind.EMAIL, "ok_mail"),
        Channel.SMS: _first_point(points, ContactKind.PHONE, "ok_text"),
        Channel.LETTER: _first_point(points, ContactKind.ADDRESS, "ok_mail"),
        Channel.PHONE: _first_point(points, ContactKind.PHONE, None),
    }
    wanted = list(channels) if channels else [Channel.EMAIL, Channel.SMS]
    unknown = set(wanted) - set(Channel.values)
    if unknown:
        raise ValidationError(f"Unknown channel: {', '.join(sorted(unknown))}.")
    plan, went, opted_out = [], False, False
    for channel in wanted:
        point = usable[channel]
        if channel == Channel.PHONE:
            continue
        if point is None:
            continue
        if _blocked(channel, opted):
            plan.append((channel, point, MessageStatus.SUPPRESSED, "The person opted out."))
            opted_out = True
            continue
        status = MessageStatus.READY if channel == Channel.LETTER else MessageStatus.QUEUED
        plan.append((channel, point, status, ""))
        went = True
    if not went and channels is None and usable[Channel.LETTER]:
        if _blocked(Channel.LETTER, opted):
            note = "The person opted out."
            plan.append((Channel.LETTER, usable[Channel.LETTER], MessageStatus.SUPPRESSED, note))
            opted_out = True
        else:
            plan.append((Channel.LETTER, usable[Channel.LETTER], MessageStatus.READY, ""))
            went = True
    if went:
        return plan
    if opted_out and not obligation:
        return plan
    if channels is not None and Channel.PHONE not in channels and not opted_out:
        # The caller asked for channels the person cannot safely get: say so, send nothing.
        return plan or [
            (wanted[0], None, MessageStatus.SUPPRESSED, "No safe contact for this channel.")
        ]
    note = (
        "The person opted out of written messages; this rights notice must reach them by phone."
        if opted_out
        else "No written channel is safe: call instead."
    )
    plan.append((Channel.PHONE, usable[Channel.PHONE], MessageStatus.READY, note))
    return plan


def _opt_out_url(message: Message) -> str:
    token, message.opt_out_digest = new_token(nbytes=16)  # short: it goes in texts
    path = reverse("notices:opt_out", args=[token])
    return f"{getattr(settings, 'SITE_URL', '').rstrip('/')}{path}"


def _staff_task(message: Message, title: str, due_at: datetime | None = None) -> Task | None:
    """A task for the case's specialist; none on a closed case (the messages list shows it)."""
    try:
        return task_add(
            actor=Actor.system(message.case.agency, "notices"),
            case=message.case,
            title=title[:200],
            due_at=due_at or timezone.now(),
        )
    except ValidationError:
        return None


def _update_allowed(agency: Agency, source: str) -> bool:
    if not source.startswith("update:"):
        return True
    kind = source.split(":", 2)[1]
    field = UPDATE_SWITCHES.get(kind)
    return field is None or getattr(notice_settings(agency), field)


def message_queue(
    *,
    actor: Actor,
    case: Case,
    person: Person,
    template: str,
    facts: dict,
    dedupe_key: str,
    channels: list[str] | None = None,
    source: str = "",
    hold: bool = False,
) -> list[Message]:
    """Queue one message per usable channel (contract 2). Idempotent by dedupe_key: a key seen
    before returns the messages it made and sends nothing new. With hold, the messages wait
    for the specialist's review (HELD) instead of going out."""
    actor.require_own(case)
    if not actor.has(Perm.CASE_WORK):
        raise PermissionDenied("Your role does not allow messaging victims.")
    if person.agency_id != case.agency_id:
        raise PermissionDenied("That person belongs to another agency.")
    if (
        person.pk != case.primary_victim_id
        and not CasePerson.objects.filter(case=case, person=person).exists()
    ):
        raise ValidationError(
            gettext("Messages go only to people on the case. Add them to it first.")
        )
    dedupe_key = (dedupe_key or "").strip()[:200]
    if not dedupe_key:
        raise ValidationError(gettext("A message needs a dedupe key."))
    if template not in render.TEMPLATE_KEYS:
        raise ValidationError(f"There is no message template {template!r}.")
    existing = list(Message.objects.filter(agency=case.agency, dedupe_key=dedupe_key))
    if existing:
        return existing
    if not _update_allowed(case.agency, source):
        return []
    obligation = source.startswith(OBLIGATION_PREFIX)
    auto = automatic.mode_for(case, automatic.kind_of(source, template))
    if auto == AutoMode.OFF and not obligation:
        return []
    hold = hold or auto == AutoMode.HOLD  # the unit's choice for this kind of case
    agency = case.agency
    config = notice_settings(agency)
    plan = _automatic_plan(auto, person, _plan(person, channels, obligation))
    extra = {
        "name": person.preferred_name or person.first_name,
        "agency": agency.name,
        "specialist": case.assigned_to.display_name if case.assigned_to else "",
    }
    rendered = render.render(
        key=template,
        language=person.preferred_language or "en",
        facts=facts,
        tz=agency.tz,
        extra=extra,
    )
    now = timezone.now()
    made = []
    held_task = None  # one review task for all the channels of a held update
    try:
        with transaction.atomic():
            for channel, point, status, note in plan:
                if hold and status in (MessageStatus.QUEUED, MessageStatus.READY):
                    status, note = MessageStatus.HELD, HELD_NOTE
                message = Message(
                    agency=agency,
                    case=case,
                    person=person,
                    channel=channel,
                    template=template,
                    language=rendered.language,
                    fell_back=rendered.fell_back,
                    facts=render.plain_facts(facts),
                    subject=rendered.subject,
                    contact_point=point,
                    destination=point.value if point else "",
                    status=status,
                    status_note=note,
                    dedupe_key=dedupe_key,
                    source=source[:200],
                    created_by=actor.membership,
                    created_at=now,
                )
                if rendered.fell_back:
                    message.status_note = (
                        f"{note} No template in the person's language: sent in English."
                    ).strip()
                url = _opt_out_url(message)
                long_line, short_line = render.opt_out_lines(rendered.language, url)
                if channel == Channel.SMS:
                    message.body = f"{rendered.sms} {short_line}"
                elif channel == Channel.EMAIL:
                    message.body = f"{rendered.body}\n\n--\n{long_line}"
                else:
                    message.body = rendered.body
                never = status == MessageStatus.QUEUED and not rules.ever_allowed(
                    quiet_start=config.quiet_start,
                    quiet_end=config.quiet_end,
                    safe_from=point.safe_from if point else None,
                    safe_until=point.safe_until if point else None,
                )
                if never:
                    message.status = MessageStatus.SUPPRESSED
                    message.status_note = (
                        "The person's safe hours lie wholly inside the agency's quiet hours."
                    )
                elif status == MessageStatus.QUEUED:
                    moment = rules.next_allowed(
                        now,
                        agency.tz,
                        quiet_start=config.quiet_start,
                        quiet_end=config.quiet_end,
                        safe_from=point.safe_from if point else None,
                        safe_until=point.safe_until if point else None,
                    )
                    message.next_attempt_at = moment
                    if moment > now:
                        message.status = MessageStatus.DEFERRED
                message.full_clean()
                message.save(force_insert=True)
                made.append(message)
                what = message.get_status_display().lower()
                if message.status == MessageStatus.HELD:
                    what = "held for the specialist's review"
                elif message.status == MessageStatus.DEFERRED:
                    what = "queued, waiting for a safe hour"
                elif message.status == MessageStatus.READY:
                    what = "to print and mail" if channel == Channel.LETTER else "call needed"
                events.message_event(actor, message, what)
                audit_record(
                    actor=actor,
                    action=AuditAction.NOTICE_QUEUE,
                    obj=message,
                    details={
                        "case": case.pk,
                        "channel": channel,
                        "template": template,
                        "status": message.status,
                        "source": source[:200],
                    },
                )
                if message.status == MessageStatus.READY:
                    _ready_task(message)
                elif message.status == MessageStatus.HELD:
                    held_task = _held_task(message, held_task)
            never_sent = [m for m in made if m.status == MessageStatus.SUPPRESSED]
            alive = [m for m in made if m.status != MessageStatus.SUPPRESSED]
            hours_note = "The person's safe hours lie wholly inside the agency's quiet hours."
            stuck = [m for m in never_sent if m.status_note.startswith(hours_note)]
            if stuck and not alive:
                # Waiting would be forever: the specialist calls in the person's safe hours.
                _call_instead(stuck[0], f"{hours_note} Call in their safe hours.", actor=actor)
    except IntegrityError:
        # Another request queued the same key at the same moment: theirs stands.
        return list(Message.objects.filter(agency=agency, dedupe_key=dedupe_key))
    if any(m.status == MessageStatus.QUEUED for m in made):
        transaction.on_commit(lambda: _kick(agency.pk))
    return made


def _automatic_plan(mode: str, person: Person, plan: list[tuple]) -> list[tuple]:
    """A rights notice the unit keeps "off" for this kind of case (automatic.py) becomes a
    call to make; "hold" is message_queue's `hold`."""
    if mode == AutoMode.OFF:
        points = list(person.contact_points.filter(ok_to_contact=True))
        phone = _first_point(points, ContactKind.PHONE, None)
        return [(Channel.PHONE, phone, MessageStatus.READY, automatic.OFF_NOTE)]
    return plan


HELD_NOTE = "Held for the specialist's review: nothing goes out until they send it."


def _held_task(message: Message, task: Task | None) -> Task | None:
    if task is None:
        label = events.template_label(message.template)
        name = message.person.full_name
        task = _staff_task(
            message, f"Review the held message to {name} ({label}): send or cancel it"
        )
    if task is not None:
        Message.objects.filter(pk=message.pk).update(task=task)
        message.task = task
    return task


def _ready_task(message: Message) -> None:
    name = message.person.full_name
    label = events.template_label(message.template)
    if message.channel == Channel.LETTER:
        title = f"Print and mail a letter to {name} ({label})"
    else:
        title = f"Call {name} about: {label}"
    due_at = None
    point = message.contact_point
    if message.channel == Channel.PHONE and point and point.safe_from and point.safe_until:
        # The task falls due when the person said calls are safe, and says so.
        clock = f"{point.safe_from:%H:%M}-{point.safe_until:%H:%M}"
        title = f"{title} (safe to call {clock})"
        now = timezone.now()
        due_at = rules.next_allowed(
            now,
            message.case.agency.tz,
            quiet_start=None,
            quiet_end=None,
            safe_from=point.safe_from,
            safe_until=point.safe_until,
        )
    task = _staff_task(message, title, due_at)
    if task is not None:
        message.task = task
        message.save(update_fields=["task", "updated_at"])


def _kick(agency_id: int) -> None:
    from haven.notices.tasks import notices_kick

    try:
        notices_kick(agency_id)
    except Exception:  # the periodic task picks it up within a minute
        logger.exception("Could not kick the notices worker.")


# ---------------------------------------------------------------- the worker
#
# A worker claims a batch of due messages in one transaction (their claim token and time; the
# status stays due, so staff may still cancel them and an opt-out still suppresses them). Just
# before each message goes, one conditional UPDATE hands it over (due -> "sending", in the same
# transaction that records the previous one as "sent"): only the claimant hands a message over,
# and only once. One SMTP connection carries the batch. The timeline lines and audit events of
# the batch's sent messages are written together at the end; a worker that dies first leaves
# them to the next worker's recovery. So a crash costs at most the one message in flight
# ("uncertain", never resent); messages claimed but not handed over are claimed again after the
# lease.

# Messages read (with their contact point and the person's opt-outs) at once just before they
# go: a change committed after that read reaches the next group.
SEND_CHUNK = 25
# Where a message recorded as sent under a claim may be by the time its batch is logged (a
# provider's report may come first). Only one whose sent_at is from this claim counts: an
# uncertain message that bounced (failed) never was recorded as sent.
SENT_LIKE = (MessageStatus.SENT, MessageStatus.DELIVERED, MessageStatus.FAILED)


def recover_stale_claims(*, now: datetime | None = None, lease: timedelta = LEASE) -> int:
    """Claims older than the lease: a message handed over ("sending") with no result becomes
    "uncertain" with a task to check, and is not resent; a message recorded as sent by a worker
    that died before writing its timeline line and audit event gets them now. Returns how many
    became uncertain. (A message claimed but never handed over is simply claimed again.)"""
    now = now or timezone.now()
    with all_agencies():
        unlogged = list(
            Message.objects.filter(
                status__in=SENT_LIKE, claimed_at__lte=now - lease, sent_at__gte=F("claimed_at")
            )
            .exclude(claim_token="")
            .values_list("agency_id", "claim_token")
            .distinct()
        )
        stale = list(
            Message.objects.filter(
                status=MessageStatus.SENDING, claimed_at__lte=now - lease
            ).values_list("pk", "agency_id", "claim_token")
        )
    for agency_id, token in unlogged:
        with agency_scope(agency_id):
            _log_sent(token)
    count = 0
    for pk, agency_id, token in stale:
        with agency_scope(agency_id), transaction.atomic():
            updated = Message.objects.filter(
                pk=pk, status=MessageStatus.SENDING, claim_token=token
            ).update(
                status=MessageStatus.UNCERTAIN,
                status_note="The worker stopped while sending: it may have gone out.",
                updated_at=now,
            )
            if not updated:
                continue
            count += 1
            message = Message.objects.select_related("case__agency", "person").get(pk=pk)
            system = Actor.system(message.case.agency, "notices worker")
            events.message_event(system, message, "uncertain: check whether it arrived")
            audit_record(actor=system, action=AuditAction.NOTICE_UNCERTAIN, obj=message)
            task = _staff_task(
                message,
                f"Check with {message.person.full_name} whether the "
                f"{message.get_channel_display().lower()} "
                f"({events.template_label(message.template)}) arrived",
            )
            if task is not None:
                Message.objects.filter(pk=pk).update(task=task)
    return count


def due_message_ids(*, now: datetime, batch: int, agency_id: int | None = None) -> list:
    with all_agencies():
        query = Message.objects.filter(
            status__in=DUE_STATUSES,
            channel__in=AUTOMATIC_CHANNELS,
            next_attempt_at__lte=now,
        )
        if agency_id is not None:
            query = query.filter(agency_id=agency_id)
        return list(query.order_by("next_attempt_at", "pk").values_list("pk", "agency_id")[:batch])


def _claim(
    *,
    now: datetime,
    batch: int,
    lease: timedelta,
    agency_id: int | None = None,
    pk: int | None = None,
) -> tuple[str, list[tuple[int, int]]]:
    """Claim up to `batch` due messages nobody holds (or whose holder's lease ran out):
    returns this claim's token and the [(pk, agency_id)] it took, oldest due first."""
    token = uuid.uuid4().hex
    with all_agencies(), transaction.atomic():
        due = Message.objects.filter(
            Q(claim_token="") | Q(claimed_at__lte=now - lease),
            status__in=DUE_STATUSES,
            channel__in=AUTOMATIC_CHANNELS,
            next_attempt_at__lte=now,
        )
        if agency_id is not None:
            due = due.filter(agency_id=agency_id)
        if pk is not None:
            due = due.filter(pk=pk)
        pick = due.order_by("next_attempt_at", "pk")
        if connection.features.has_select_for_update_skip_locked:
            pick = pick.select_for_update(skip_locked=True)  # PostgreSQL: workers take turns
        found = list(pick.values_list("pk", "agency_id")[:batch])
        if found:
            # The conditions again: SQLite without a lock, another worker may have been first.
            due.filter(pk__in=[pk for pk, _ in found]).update(
                claim_token=token, claimed_at=timezone.now()
            )
    return token, found


def send_due(
    *,
    now: datetime | None = None,
    batch: int = 50,
    agency_id: int | None = None,
    lease: timedelta = LEASE,
) -> int:
    """Recover dead claims, then claim and send up to `batch` due messages. Returns how many
    were handed to the mail server or SMS provider. Safe with any number of workers."""
    now = now or timezone.now()
    recover_stale_claims(now=now, lease=lease)
    token, claimed = _claim(now=now, batch=batch, lease=lease, agency_id=agency_id)
    return _send_claimed(token, claimed, now=now)


def send_one(pk: int, *, now: datetime) -> bool:
    """Claim one due message and send it; True if it left."""
    token, claimed = _claim(now=now, batch=1, lease=LEASE, pk=pk)
    return _send_claimed(token, claimed, now=now) > 0


class _Outbox:
    """One worker's way out for a batch: one SMTP connection for all its emails, one SMS
    provider for its texts."""

    def __init__(self) -> None:
        self.mail = None
        self.texts = None
        self.handed = 0
        # Test hook: the worker process exits hard after this many sends.
        self.crash_after = int(os.environ.get(CRASH_ENV, "0") or 0)

    def deliver(self, message: Message, config: NoticeSettings) -> str:
        if message.channel == Channel.EMAIL:
            if self.mail is None:
                self.mail = get_connection(timeout=30)
            try:
                return _deliver_email(message, connection=self.mail)
            except TransientError:
                self.close()  # the next email opens a fresh connection
                raise
        if message.channel == Channel.SMS:
            if self.texts is None:
                self.texts = _sms_provider()
            sender = config.sms_sender or settings.HAVEN_SMS_FROM
            return _deliver_sms(message, provider=self.texts, sender=sender)
        raise PermanentError(f"The worker does not send {message.channel} messages.")

    def handed_over(self) -> None:
        self.handed += 1
        if self.crash_after and self.handed >= self.crash_after:
            os._exit(1)  # test hook: die after sending, before marking it sent

    def close(self) -> None:
        if self.mail is not None:
            with contextlib.suppress(smtplib.SMTPException, OSError):
                self.mail.close()
            self.mail = None


def _send_claimed(token: str, claimed: list[tuple[int, int]], *, now: datetime) -> int:
    by_agency: dict[int, list[int]] = {}
    for pk, agency_id in claimed:
        by_agency.setdefault(agency_id, []).append(pk)
    outbox = _Outbox()
    sent = 0
    try:
        for agency_id, ids in by_agency.items():
            with agency_scope(agency_id):
                sent += _send_agency_batch(agency_id, ids, token, now=now, outbox=outbox)
    finally:
        outbox.close()
    return sent


# What the worker reads of a message's contact point: its safety flags and safe hours (not its
# encrypted value: the message keeps its own snapshot of the address or number).
_POINT_UNREAD = ("contact_point__value", "contact_point__safety_note", "contact_point__label")


def _send_agency_batch(
    agency_id: int, ids: list[int], token: str, *, now: datetime, outbox: _Outbox
) -> int:
    # Read once for the batch: the agency (its time zone), its settings, and when each safe
    # window allows sending (`now` is the batch's).
    agency = Agency.objects.get(pk=agency_id)
    config = notice_settings(agency)
    moments: dict[tuple, datetime] = {}
    pending: Message | None = None  # handed over and accepted, not yet recorded as sent
    sent: list[Message] = []
    try:
        for start in range(0, len(ids), SEND_CHUNK):
            group = list(
                Message.objects.filter(
                    pk__in=ids[start : start + SEND_CHUNK],
                    claim_token=token,
                    status__in=DUE_STATUSES,
                )
                .select_related("contact_point")
                .defer(*_POINT_UNREAD)
                .order_by("next_attempt_at", "pk")
            )
            if not group:
                continue
            opted = _opt_outs_of({message.person_id for message in group})
            for message in group:
                person_opted = opted.get(message.person_id, set())
                if _settle_unsendable(message, token, now, person_opted, config, agency, moments):
                    continue
                handed = _hand_over(message, token, pending)
                pending = None
                if not handed:
                    continue  # cancelled or suppressed since the read: it stays so
                try:
                    message.provider_id = outbox.deliver(message, config)
                except PermanentError as exc:
                    _fail(message, token, str(exc), permanent=True)
                    continue
                except TransientError as exc:
                    _fail(message, token, str(exc), permanent=False)
                    continue
                outbox.handed_over()
                pending = message
                sent.append(message)
    finally:
        if sent:
            with transaction.atomic():
                if pending is not None:
                    _mark_sent(pending, token)
                _log_sent(token, sent, agency=agency)
    return len(sent)


def _opt_outs_of(person_ids: set[int]) -> dict[int, set[str]]:
    found: dict[int, set[str]] = {}
    for person_id, channel in OptOut.objects.filter(
        person_id__in=person_ids, ended_at__isnull=True
    ).values_list("person_id", "channel"):
        found.setdefault(person_id, set()).add(channel)
    return found


def _hand_over(message: Message, token: str, pending: Message | None) -> bool:
    """Record the previous message as sent and take this one ("sending") at once: the line a
    crash cannot cross twice. One UPDATE does both (a statement is atomic on its own, so no
    transaction to open: one round trip per message), with the conditions of _mark_sent for
    the previous one and of the claim for this one."""
    table = connection.ops.quote_name(Message._meta.db_table)
    due = list(DUE_STATUSES)
    marks = ", ".join(["%s"] * len(due))
    taking = f"id = %s AND claim_token = %s AND agency_id = %s AND status IN ({marks})"
    take = [message.pk, token, message.agency_id, *due]
    if pending is None:
        sql = f"UPDATE {table} SET status = %s, attempts = attempts + 1 WHERE {taking}"  # noqa: S608
        params = [MessageStatus.SENDING, *take]
        expected = 1
    else:
        now = timezone.now()
        at = connection.ops.adapt_datetimefield_value(now)
        provider_id = pending.provider_id[:200]
        sets = (
            "status = CASE WHEN id = %s THEN %s ELSE %s END, "
            "attempts = CASE WHEN id = %s THEN attempts + 1 ELSE attempts END, "
            "sent_at = CASE WHEN id = %s THEN sent_at ELSE %s END, "
            "provider_id = CASE WHEN id = %s THEN provider_id ELSE %s END, "
            "last_error = CASE WHEN id = %s THEN last_error ELSE %s END, "
            "updated_at = CASE WHEN id = %s THEN updated_at ELSE %s END"
        )
        previous = "id = %s AND claim_token = %s AND status IN (%s, %s)"
        # The table's name and placeholders only: every value is a parameter.
        sql = f"UPDATE {table} SET {sets} WHERE ({taking}) OR ({previous})"  # noqa: S608
        pk = message.pk
        params = [
            *(pk, MessageStatus.SENDING, MessageStatus.SENT),
            pk,
            *(pk, at),
            *(pk, provider_id),
            *(pk, ""),
            *(pk, at),
            *take,
            *(pending.pk, token, MessageStatus.SENDING, MessageStatus.UNCERTAIN),
        ]
        expected = 2
        fields = {"status": MessageStatus.SENT, "sent_at": now, "provider_id": provider_id}
        for name, value in (fields | {"last_error": "", "updated_at": now}).items():
            setattr(pending, name, value)  # listeners of message_sent read these
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        updated = cursor.rowcount
    handed = updated == expected or (
        # Fewer rows: was it the previous one that had moved on (a bounce already), or this one
        # (cancelled, suppressed)? Only this claim hands a message over, so its status says.
        0 < updated < expected
        and Message.objects.filter(
            pk=message.pk, claim_token=token, status=MessageStatus.SENDING
        ).exists()
    )
    if handed:
        message.status = MessageStatus.SENDING
        message.attempts += 1
    return handed


def _mark_sent(message: Message, token: str) -> None:
    """The mail server or provider accepted it (also after a recovery marked it uncertain:
    then we now know it left). The claim token stays until _log_sent has written the rest."""
    now = timezone.now()
    fields = {
        "status": MessageStatus.SENT,
        "sent_at": now,
        "provider_id": message.provider_id[:200],
        "last_error": "",
        "updated_at": now,
    }
    Message.objects.filter(
        pk=message.pk,
        claim_token=token,
        status__in=(MessageStatus.SENDING, MessageStatus.UNCERTAIN),
    ).update(**fields)
    for name, value in fields.items():  # listeners of message_sent read these
        setattr(message, name, value)


def _log_sent(
    token: str, messages: list[Message] | None = None, *, agency: Agency | None = None
) -> int:
    """The timeline line, the audit event and message_sent of each message of this claim
    recorded as sent, once: whoever clears the claim token writes them. (`messages` and their
    `agency`: what the worker has in hand; else they are read.)"""
    with transaction.atomic():
        ids = list(
            Message.objects.select_for_update()
            .filter(claim_token=token, status__in=SENT_LIKE, sent_at__gte=F("claimed_at"))
            .values_list("pk", flat=True)
        )
        if not ids:
            return 0
        Message.objects.filter(pk__in=ids).update(claim_token="")
        if messages is None:
            messages = list(
                Message.objects.filter(pk__in=ids).select_related("case__agency", "person")
            )
        else:
            logged = set(ids)
            messages = [message for message in messages if message.pk in logged]
        system = Actor.system(agency or messages[0].case.agency, "notices worker")
        events.message_events(system, messages, "sent")
        audit_record_many(
            actor=system,
            action=AuditAction.NOTICE_SENT,
            records=[
                (message, {"channel": message.channel, "attempt": message.attempts})
                for message in messages
            ],
        )
        for message in messages:
            message.claim_token = ""
            message_sent.publish(sender=Message, message=message)
    return len(messages)


def _point_safe(message: Message) -> bool:
    """The rules are read again at send time: a victim who told their specialist this morning
    that email is no longer safe must not get the email queued yesterday."""
    point = message.contact_point
    if point is None or not point.ok_to_contact:
        return False
    return point.ok_mail if message.channel == Channel.EMAIL else point.ok_text


def _settle_unsendable(
    message: Message,
    token: str,
    now: datetime,
    opted,
    config: NoticeSettings,
    agency: Agency,
    moments: dict[tuple, datetime],
) -> bool:
    """A claimed message that must not go now: suppressed (opted out, contact no longer safe,
    no safe minute ever) with a call task where the notice is still owed, or deferred to the
    next safe hour. Returns False when it may go. (`moments`: the batch's next safe moment
    for each safe window already worked out, at this `now` and these quiet hours.)"""
    point = message.contact_point
    hours = {
        "quiet_start": config.quiet_start,
        "quiet_end": config.quiet_end,
        "safe_from": point.safe_from if point else None,
        "safe_until": point.safe_until if point else None,
    }
    unsafe = _blocked(message.channel, opted) or not _point_safe(message)
    if not unsafe and rules.ever_allowed(**hours):
        window = (hours["safe_from"], hours["safe_until"])
        moment = moments.get(window)
        if moment is None:
            moment = moments[window] = rules.next_allowed(now, agency.tz, **hours)
        if moment <= now:
            return False
        # A retry, or a message queued a minute before quiet hours, waits for the safe hour.
        Message.objects.filter(pk=message.pk, claim_token=token, status__in=DUE_STATUSES).update(
            status=MessageStatus.DEFERRED, next_attempt_at=moment, claim_token="", updated_at=now
        )
        return True
    # Taken as the worker takes a message it sends, then settled with its reason.
    if not Message.objects.filter(pk=message.pk, claim_token=token, status__in=DUE_STATUSES).update(
        status=MessageStatus.SENDING, attempts=F("attempts") + 1
    ):
        return True
    message.attempts += 1
    if _blocked(message.channel, opted):
        if _finish(message, token, MessageStatus.SUPPRESSED, note="The person opted out.") and (
            _still_owed(message)
        ):
            _call_instead(
                message,
                "The person opted out of written messages; this rights notice must reach "
                "them by phone.",
            )
    elif not _point_safe(message):
        note = "The contact is no longer marked safe for this channel."
        if _finish(message, token, MessageStatus.SUPPRESSED, note=note) and (
            not _other_copy_alive(message)
        ):
            _call_instead(message, f"{note[:-1]}: no written channel is safe.")
    else:
        note = "The person's safe hours lie wholly inside the agency's quiet hours."
        if _finish(message, token, MessageStatus.SUPPRESSED, note=note) and (
            not _other_copy_alive(message)
        ):
            _call_instead(message, f"{note} Call in their safe hours.")
    return True


def _deliver(message: Message) -> str:
    if message.channel == Channel.EMAIL:
        return _deliver_email(message)
    if message.channel == Channel.SMS:
        return _deliver_sms(message)
    raise PermanentError(f"The worker does not send {message.channel} messages.")


def _deliver_email(message: Message, *, connection=None) -> str:
    """Hand the email to the mail server: over `connection` (kept open for the next) or a
    connection of its own."""
    headers = {"Message-ID": message.email_message_id}
    # With HAVEN_BOUNCE_ADDRESS set, the envelope sender carries the message's token (VERP),
    # so a bounce names its email (delivery.py); the From the person sees is unchanged.
    envelope = delivery_bounce_address(message)
    if envelope:
        headers["From"] = settings.DEFAULT_FROM_EMAIL
    raw = None
    if isinstance(connection, SmtpBackend):
        raw = plain_email_bytes(
            subject=message.subject,
            body=message.body,
            from_header=settings.DEFAULT_FROM_EMAIL,
            to=message.destination,
            message_id=message.email_message_id,
            sender=envelope or settings.DEFAULT_FROM_EMAIL,
        )
    try:
        if raw is not None:
            # What Django's SMTP backend would send for this EmailMessage, written directly.
            connection.open()  # a no-op once open
            connection.connection.sendmail(
                envelope or settings.DEFAULT_FROM_EMAIL, [message.destination], raw
            )
            return message.email_message_id
        email = EmailMessage(
            subject=message.subject,
            body=message.body,
            from_email=envelope or settings.DEFAULT_FROM_EMAIL,
            to=[message.destination],
            headers=headers,
        )
        if connection is None:
            with get_connection(timeout=30) as own:
                own.send_messages([email])
        else:
            connection.open()  # a no-op once open; opened here, send_messages leaves it open
            connection.send_messages([email])
    except smtplib.SMTPRecipientsRefused as exc:
        raise PermanentError(f"The mail server refused the address ({exc}).") from None
    except (smtplib.SMTPException, OSError) as exc:
        raise TransientError(f"Mail server trouble: {exc}") from None
    return message.email_message_id


def _sms_provider():
    try:
        return sms.get_provider()
    except sms.SmsError as exc:
        raise (PermanentError if exc.permanent else TransientError)(str(exc)) from None


def _deliver_sms(message: Message, *, provider=None, sender: str | None = None) -> str:
    if sender is None:
        sender = notice_settings(message.case.agency).sms_sender or settings.HAVEN_SMS_FROM
    provider = provider or _sms_provider()
    try:
        return provider.send(to=message.destination, body=message.body, sender=sender)
    except sms.SmsError as exc:
        if exc.permanent:
            raise PermanentError(str(exc)) from None
        raise TransientError(str(exc)) from None


def _finish(
    message: Message, token: str, status: str, *, provider_id: str = "", note: str = ""
) -> bool:
    """Record the outcome of this worker's claim (also after a recovery marked it uncertain:
    then we now know it left)."""
    now = timezone.now()
    system = Actor.system(message.case.agency, "notices worker")
    with transaction.atomic():
        fields = {"status": status, "updated_at": now, "claim_token": ""}
        if status == MessageStatus.SENT:
            fields |= {"sent_at": now, "provider_id": provider_id[:200], "last_error": ""}
        if note:
            fields["status_note"] = note
        updated = Message.objects.filter(
            pk=message.pk,
            claim_token=token,
            status__in=(MessageStatus.SENDING, MessageStatus.UNCERTAIN),
        ).update(**fields)
        if not updated:
            return False
        for name, value in fields.items():  # listeners of message_sent read these
            setattr(message, name, value)
        what = "sent"
        if status != MessageStatus.SENT:
            what = f"not sent: {note[:1].lower()}{note[1:].rstrip('.')}"
        events.message_event(system, message, what)
        if status == MessageStatus.SENT:
            audit_record(
                actor=system,
                action=AuditAction.NOTICE_SENT,
                obj=message,
                details={"channel": message.channel, "attempt": message.attempts},
            )
            message_sent.publish(sender=Message, message=message)
    return True


def _fail(message: Message, token: str, error: str, *, permanent: bool) -> None:
    now = timezone.now()
    final = permanent or message.attempts >= MAX_ATTEMPTS
    system = Actor.system(message.case.agency, "notices worker")
    with transaction.atomic():
        if final:
            fields = {"status": MessageStatus.FAILED, "next_attempt_at": None}
        else:
            wait = BACKOFF[min(message.attempts, len(BACKOFF)) - 1]
            fields = {"status": MessageStatus.QUEUED, "next_attempt_at": now + wait}
        updated = Message.objects.filter(
            pk=message.pk, claim_token=token, status=MessageStatus.SENDING
        ).update(**fields, last_error=error[:500], claim_token="", updated_at=now)
        if not updated or not final:
            return
        message.refresh_from_db()
        events.message_event(system, message, "failed")
        audit_record(
            actor=system,
            action=AuditAction.NOTICE_FAILED,
            obj=message,
            details={"channel": message.channel, "attempts": message.attempts},
        )
        task = _staff_task(
            message,
            f"The {message.get_channel_display().lower()} to {message.person.full_name} "
            f"({events.template_label(message.template)}) failed: reach them another way",
        )
        if task is not None:
            Message.objects.filter(pk=message.pk).update(task=task)


def messages_withdraw(*, actor: Actor, sources: list[str], reason: str) -> int:
    """Another app's facts changed (a court date moved or was cancelled): every message of
    these sources that has not been handed over yet (queued, waiting for a safe hour, a letter
    to print, a call to make) is cancelled with the reason, and its open task is completed. A
    message a worker already handed over ("sending") is left alone: it may be on its way.
    Returns how many."""
    if not sources:
        return 0
    from haven.cases.services import task_complete

    now = timezone.now()
    count = 0
    with transaction.atomic():
        pending = list(
            Message.objects.filter(source__in=sources, status__in=CANCELLABLE).select_related(
                "case__agency", "person"
            )
        )
        for message in pending:
            updated = Message.objects.filter(pk=message.pk, status=message.status).update(
                status=MessageStatus.CANCELLED, status_note=reason[:300], updated_at=now
            )
            if not updated:
                continue
            count += 1
            events.message_event(actor, message, f"cancelled: {reason[:1].lower()}{reason[1:]}")
            audit_record(
                actor=actor,
                action=AuditAction.NOTICE_CANCEL,
                obj=message,
                details={"reason": reason[:200], "source": message.source},
            )
            if message.task_id:
                task = Task.objects.get(pk=message.task_id)
                if task.completed_at is None:
                    task_complete(actor=Actor.system(message.case.agency, "notices"), task=task)
    return count


def _call_instead(message: Message, reason: str, *, actor: Actor | None = None) -> Task | None:
    """A message that cannot go (its reason) becomes a call task for the case's specialist:
    nothing a victim is owed waits silently. The message itself is kept as not sent, with the
    reason and the task."""
    label = events.template_label(message.template)
    task = _staff_task(message, f"Call {message.person.full_name} about: {label}. {reason}")
    fields = {"status_note": reason[:300], "updated_at": timezone.now()}
    if task is not None:
        fields["task"] = task
    Message.objects.filter(pk=message.pk).update(**fields)
    system = actor or Actor.system(message.case.agency, "notices")
    events.message_event(system, message, "call task for the specialist")
    return task


def _still_owed(message: Message) -> bool:
    """A rights notice none of whose copies (same dedupe key) went or can still go."""
    return message.source.startswith(OBLIGATION_PREFIX) and not _other_copy_alive(message)


def _other_copy_alive(message: Message) -> bool:
    """Another channel's copy of the same message went, or still can."""
    return (
        Message.objects.filter(
            agency_id=message.agency_id,
            dedupe_key=message.dedupe_key,
            status__in=(
                *DUE_STATUSES,
                MessageStatus.SENDING,
                MessageStatus.SENT,
                MessageStatus.DELIVERED,
                MessageStatus.READY,
                MessageStatus.UNCERTAIN,
            ),
        )
        .exclude(pk=message.pk)
        .exists()
    )


# ---------------------------------------------------------------- staff actions


def _staff_change(actor: Actor, message: Message) -> None:
    actor.require(Perm.CASE_WORK)
    actor.require_own(message)


def message_cancel(*, actor: Actor, message: Message) -> Message:
    """Stop a message that has not gone out yet."""
    _staff_change(actor, message)
    with transaction.atomic():
        updated = Message.objects.filter(pk=message.pk, status__in=CANCELLABLE).update(
            status=MessageStatus.CANCELLED, updated_at=timezone.now()
        )
        if not updated:
            raise ValidationError(
                gettext("Only a message that has not gone out yet can be cancelled.")
            )
        message.refresh_from_db()
        events.message_event(actor, message, "cancelled")
        audit_record(actor=actor, action=AuditAction.NOTICE_CANCEL, obj=message)
    return message


def message_retry(*, actor: Actor, message: Message) -> Message:
    """Send a failed message again, or an uncertain one once you have checked it did not
    arrive (the person may otherwise get it twice)."""
    _staff_change(actor, message)
    if message.channel not in AUTOMATIC_CHANNELS:
        raise ValidationError(gettext("Letters and calls are not retried: print or call again."))
    if message.contact_point_id is None or _blocked(
        message.channel, opted_out_channels(message.person)
    ):
        raise ValidationError(
            gettext("The person opted out of this channel or the contact is gone.")
        )
    now = timezone.now()
    with transaction.atomic():
        updated = Message.objects.filter(
            pk=message.pk, status__in=(MessageStatus.FAILED, MessageStatus.UNCERTAIN)
        ).update(
            status=MessageStatus.QUEUED,
            attempts=0,
            next_attempt_at=now,
            claim_token="",
            claimed_at=None,
            updated_at=now,
        )
        if not updated:
            raise ValidationError(gettext("Only a failed or uncertain message can be retried."))
        message.refresh_from_db()
        events.message_event(actor, message, "queued again by staff")
        audit_record(actor=actor, action=AuditAction.NOTICE_RETRY, obj=message)
    agency_id = message.agency_id
    transaction.on_commit(lambda: _kick(agency_id))
    return message


def message_mark_done(*, actor: Actor, message: Message) -> Message:
    """The specialist mailed the letter (sent) or reached the person by phone (delivered);
    the message's task is completed with it."""
    _staff_change(actor, message)
    if message.channel not in (Channel.LETTER, Channel.PHONE):
        raise ValidationError(gettext("Only letters and calls are marked done by staff."))
    now = timezone.now()
    status = MessageStatus.SENT if message.channel == Channel.LETTER else MessageStatus.DELIVERED
    fields = {"status": status, "updated_at": now, "sent_at": now}
    if status == MessageStatus.DELIVERED:
        fields["delivered_at"] = now
    with transaction.atomic():
        updated = Message.objects.filter(pk=message.pk, status=MessageStatus.READY).update(**fields)
        if not updated:
            raise ValidationError(gettext("This message is not waiting for a letter or a call."))
        message.refresh_from_db()
        what = "letter mailed" if message.channel == Channel.LETTER else "call made"
        events.message_event(actor, message, what)
        audit_record(actor=actor, action=AuditAction.NOTICE_DONE, obj=message)
        if message.task_id:
            task = Task.objects.get(pk=message.task_id)
            if task.completed_at is None:
                task_complete(actor=actor, task=task)
        if status == MessageStatus.DELIVERED:
            message_delivered.publish(sender=Message, message=message)
        else:
            message_sent.publish(sender=Message, message=message)
    return message


def message_mark_delivered(
    *, message: Message, provider_id: str = "", at: datetime | None = None
) -> bool:
    """A provider confirmed delivery (an SMS status callback). Sends message_delivered."""
    now = timezone.now()
    with transaction.atomic():
        query = Message.objects.filter(pk=message.pk, status=MessageStatus.SENT)
        if provider_id:
            query = query.filter(provider_id=provider_id)
        if not query.update(status=MessageStatus.DELIVERED, delivered_at=at or now, updated_at=now):
            return False
        message.refresh_from_db()
        events.message_event(None, message, "delivered")
        message_delivered.publish(sender=Message, message=message)
    return True


def message_mark_undelivered(*, message: Message, error: str, bounced: bool = False) -> bool:
    """A provider reported that a sent text never arrived, or an email bounced: failed, with a
    task to reach the person another way (not resent: the number or address may be wrong or
    no longer theirs). A bounce also settles an uncertain email: it left, and came back."""
    now = timezone.now()
    system = Actor.system(message.case.agency, "sms provider" if not bounced else "mail bounce")
    what = "bounced" if bounced else "was not delivered"
    statuses = [MessageStatus.SENT, MessageStatus.DELIVERED]
    if bounced:
        statuses.append(MessageStatus.UNCERTAIN)
    with transaction.atomic():
        updated = Message.objects.filter(pk=message.pk, status__in=statuses).update(
            status=MessageStatus.FAILED,
            last_error=f"{'Bounced' if bounced else 'Not delivered'}: {error}"[:500],
            updated_at=now,
        )
        if not updated:
            return False
        message.refresh_from_db()
        events.message_event(system, message, "bounced" if bounced else "not delivered")
        audit_record(
            actor=system,
            action=AuditAction.NOTICE_FAILED,
            obj=message,
            details={"channel": message.channel, "provider": error[:50]},
        )
        task = _staff_task(
            message,
            f"The {message.get_channel_display().lower()} to {message.person.full_name} "
            f"({events.template_label(message.template)}) {what} ({error[:70]}): "
            "reach them another way",
        )
        if task is not None:
            Message.objects.filter(pk=message.pk).update(task=task)
    return True


def message_send_staff(
    *, actor: Actor, case: Case, person: Person, subject: str, body: str
) -> list[Message]:
    """A message written by staff (the "generic" template), over the person's safe channels."""
    actor.require(Perm.CASE_WORK)
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": gettext("Write the message.")})
    if len(body) > 2000:
        raise ValidationError({"body": gettext("Keep the message under 2,000 characters.")})
    return message_queue(
        actor=actor,
        case=case,
        person=person,
        template="generic",
        facts={"subject": (subject or "").strip()[:150], "body": body},
        dedupe_key=f"staff:{uuid.uuid4().hex}",
        source="staff",
    )


def letter_pdf(*, actor: Actor, message: Message) -> bytes:
    """The letter as a PDF to print and mail; each download is audited."""
    from haven.lib.pdf import pdf_bytes, pdf_document, pdf_heading, pdf_paragraph

    actor.require(Perm.CASE_WORK)
    actor.require_own(message)
    if message.channel != Channel.LETTER:
        raise ValidationError(gettext("Only letters are printed."))
    pdf = pdf_document(language=message.language, title=message.subject)
    pdf_paragraph(pdf, message.person.full_name + "\n" + message.destination)
    today = timezone.localtime(timezone.now(), message.case.agency.tz).date()
    pdf_paragraph(pdf, today.isoformat())
    pdf_heading(pdf, message.subject)
    pdf_paragraph(pdf, message.body)
    audit_record(actor=actor, action=AuditAction.NOTICE_LETTER, obj=message)
    return pdf_bytes(pdf)


# ---------------------------------------------------------------- automatic updates


def on_case_assigned(case_id: int) -> None:
    """On cases.case_assigned (after commit; notices.receivers): tell the victim who their
    specialist is (if the agency has that update on)."""
    with all_agencies():
        agency_id = Case.objects.filter(pk=case_id).values_list("agency_id", flat=True).first()
    if agency_id is None:
        return
    with agency_scope(agency_id):
        case = Case.objects.select_related("agency", "assigned_to__user", "primary_victim").get(
            pk=case_id
        )
        if case.assigned_to is None or not case.is_open:
            return
        specialist = case.assigned_to
        message_queue(
            actor=Actor.system(case.agency, "notices"),
            case=case,
            person=case.primary_victim,
            template="specialist_assigned",
            facts={"specialist": specialist.display_name, "email": specialist.user.email or ""},
            dedupe_key=f"assigned:{case.pk}:{specialist.pk}",
            source="update:specialist_assigned",
        )
