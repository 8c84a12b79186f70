"""Queueing a message to a victim (contract 2, `message_queue`) and withdrawing the ones whose
facts changed before they went."""

import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from haven.agencies.roles import Perm
from haven.audit.models import AuditAction
from haven.audit.services import audit_record
from haven.cases.models import Case, CasePerson, Task
from haven.cases.services import task_complete
from haven.core.actor import Actor
from haven.core.scoping import agency_scope, all_agencies
from haven.lib.tokens import new_token
from haven.notices import automatic, events, render, rules
from haven.notices.models import (
    CANCELLABLE,
    AutoMode,
    Channel,
    Message,
    MessageStatus,
    NoticeSettings,
)
from haven.notices.services.agency_settings import _update_allowed, notice_settings
from haven.notices.services.channels import _automatic_plan, _plan
from haven.notices.services.specialist_tasks import (
    HELD_NOTE,
    NO_SAFE_HOUR,
    OBLIGATION_PREFIX,
    _call_instead,
    _held_task,
    _ready_task,
)
from haven.people.models import Person

logger = logging.getLogger(__name__)


def _opt_out_url(message: Message) -> str:
    token, message.opt_out_digest = new_token(nbytes=16)  # short: it goes in texts
    path = reverse("notices:opt_out", args=[token])
    return f"{getattr(settings, 'SITE_URL', '').rstrip('/')}{path}"


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
    dedupe_key = _check_request(actor, case, person, template, dedupe_key)
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
    rendered = _render(case, person, template, facts)
    shared = _shared(actor, case, person, template, rendered, dedupe_key, source)
    made = []
    held_task = None  # one review task for all the channels of a held update
    try:
        with transaction.atomic():
            for channel, point, status, note in plan:
                if hold and status in (MessageStatus.QUEUED, MessageStatus.READY):
                    status, note = MessageStatus.HELD, HELD_NOTE
                message = Message(
                    **shared,
                    facts=render.plain_facts(facts),
                    channel=channel,
                    contact_point=point,
                    destination=point.value if point else "",
                    status=status,
                    status_note=note,
                )
                _save_copy(message, rendered, config)
                made.append(message)
                held_task = _record_queued(actor, message, held_task)
            _call_if_never_sent(made, actor)
    except IntegrityError:
        # Another request queued the same key at the same moment: theirs stands.
        return list(Message.objects.filter(agency=agency, dedupe_key=dedupe_key))
    if any(m.status == MessageStatus.QUEUED for m in made):
        transaction.on_commit(lambda: _kick(agency.pk))
    return made


def _render(case: Case, person: Person, template: str, facts: dict) -> render.Rendered:
    """The message in the person's language (English when there is no such template)."""
    agency = case.agency
    return render.render(
        key=template,
        language=person.preferred_language or "en",
        facts=facts,
        tz=agency.tz,
        extra={
            "name": person.preferred_name or person.first_name,
            "agency": agency.name,
            "specialist": case.assigned_to.display_name if case.assigned_to else "",
        },
    )


def _shared(
    actor: Actor,
    case: Case,
    person: Person,
    template: str,
    rendered: render.Rendered,
    dedupe_key: str,
    source: str,
) -> dict:
    """The fields every channel's copy of one message shares."""
    return {
        "agency": case.agency,
        "case": case,
        "person": person,
        "template": template,
        "language": rendered.language,
        "fell_back": rendered.fell_back,
        "subject": rendered.subject,
        "dedupe_key": dedupe_key,
        "source": source[:200],
        "created_by": actor.membership,
        "created_at": timezone.now(),
    }


def _check_request(actor: Actor, case: Case, person: Person, template: str, key: str) -> str:
    """Refuse what message_queue refuses; the dedupe key as it is stored."""
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
    key = (key or "").strip()[:200]
    if not key:
        raise ValidationError(gettext("A message needs a dedupe key."))
    if template not in render.TEMPLATE_KEYS:
        raise ValidationError(f"There is no message template {template!r}.")
    return key


def _save_copy(message: Message, rendered: render.Rendered, config: NoticeSettings) -> None:
    """Give one channel's copy its body (with its opt-out link) and its time (now, the next
    safe hour, or never), and save it."""
    if rendered.fell_back:
        message.status_note = (
            f"{message.status_note} No template in the person's language: sent in English."
        ).strip()
    url = _opt_out_url(message)
    long_line, short_line = render.opt_out_lines(rendered.language, url)
    if message.channel == Channel.SMS:
        message.body = f"{rendered.sms} {short_line}"
    elif message.channel == Channel.EMAIL:
        message.body = f"{rendered.body}\n\n--\n{long_line}"
    else:
        message.body = rendered.body
    if message.status == MessageStatus.QUEUED:
        _schedule(message, config)
    message.full_clean()
    message.save(force_insert=True)


def _schedule(message: Message, config: NoticeSettings) -> None:
    """A queued message goes at the first minute both the agency's quiet hours and the
    person's safe hours allow; never, when there is no such minute."""
    point = message.contact_point
    hours = {
        "quiet_start": config.quiet_start,
        "quiet_end": config.quiet_end,
        "safe_from": point.safe_from if point else None,
        "safe_until": point.safe_until if point else None,
    }
    if not rules.ever_allowed(**hours):
        message.status = MessageStatus.SUPPRESSED
        message.status_note = NO_SAFE_HOUR
        return
    now = message.created_at
    message.next_attempt_at = rules.next_allowed(now, message.agency.tz, **hours)
    if message.next_attempt_at > now:
        message.status = MessageStatus.DEFERRED


def _record_queued(actor: Actor, message: Message, held_task: Task | None) -> Task | None:
    """The timeline line, the audit event and the specialist's task of one queued copy;
    returns the held update's review task (one for all its channels)."""
    what = message.get_status_display().lower()
    if message.status == MessageStatus.HELD:
        what = "held for the specialist's review"
    elif message.status == MessageStatus.DEFERRED:
        what = "queued, waiting for a safe hour"
    elif message.status == MessageStatus.READY:
        what = "to print and mail" if message.channel == Channel.LETTER else "call needed"
    events.message_event(actor, message, what)
    audit_record(
        actor=actor,
        action=AuditAction.NOTICE_QUEUE,
        obj=message,
        details={
            "case": message.case.pk,
            "channel": message.channel,
            "template": message.template,
            "status": message.status,
            "source": message.source,
        },
    )
    if message.status == MessageStatus.READY:
        _ready_task(message)
    elif message.status == MessageStatus.HELD:
        held_task = _held_task(message, held_task)
    return held_task


def _call_if_never_sent(made: list[Message], actor: Actor) -> None:
    """Every copy suppressed, some because no safe minute ever comes: waiting would be
    forever, so the specialist calls in the person's safe hours."""
    never_sent = [m for m in made if m.status == MessageStatus.SUPPRESSED]
    alive = [m for m in made if m.status != MessageStatus.SUPPRESSED]
    stuck = [m for m in never_sent if m.status_note.startswith(NO_SAFE_HOUR)]
    if stuck and not alive:
        _call_instead(stuck[0], f"{NO_SAFE_HOUR} Call in their safe hours.", actor=actor)


def _kick(agency_id: int) -> None:
    from haven.notices.tasks import notices_kick

    try:
        notices_kick(agency_id)
    except Exception:  # the periodic task picks it up within a minute
        logger.exception("Could not kick the notices worker.")


def messages_withdraw(*, actor: Actor, sources: list[str], reason: str) -> int:
    """Another app's facts changed (a court date moved or was cancelled): every message of
    these sources that has not been handed over yet (queued, waiting for a safe hour, a letter
    to print, a call to make) is cancelled with the reason, and its open task is completed. A
    message a worker already handed over ("sending") is left alone: it may be on its way.
    Returns how many."""
    if not sources:
        return 0
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
