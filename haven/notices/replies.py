"""Texts sent to the agency's number (issue 17, item 8: two-way texting).

`inbound_receive` is called by the provider's signed webhook (webhook_views.py):

- The agency is the one whose *SMS sender* (Notice settings) is the number texted; with one
  agency on the installation, HAVEN_SMS_FROM also names it. A text to a number no agency owns
  is logged and dropped: there is nobody to show it to.
- A keyword alone (STOP, UNSUBSCRIBE, ARRET..., START, HELP) is acted on: STOP opts every
  person with that number out of texts (carriers require it) and is confirmed in the person's
  language; START ends only opt-outs made by a STOP text (never one recorded by staff: "her
  texts are read by him" is not undone from the phone); HELP says who texts and how to stop.
- Any other text is matched by the sender's number through the contact points' blind index,
  within the agency: on people of exactly one open case (or, with none open, of exactly one
  case) it lands on that case as an inbound text contact, the text encrypted like a contact's
  summary, and the case's specialist is told (the on-call specialist or the supervisors when
  nobody is assigned). A number on no contact point is kept for the agency's list, matching
  nobody; a number on people of several cases waits on the triage list for a person to choose
  the case: never a guess.
- The acknowledgement a reply gets is the same words whoever sent it, so it tells a stranger
  nothing about whether the number is known.

Idempotent on the provider's id for the text: a webhook delivered twice is stored once and
answered once.
"""

from __future__ import annotations

import logging
import unicodedata
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from haven.agencies.models import Agency, Membership
from haven.agencies.roles import Perm, Role
from haven.audit.models import AuditAction
from haven.audit.services import audit_record
from haven.cases.hooks import on_call_member
from haven.cases.models import (
    Case,
    CaseEvent,
    CaseEventKind,
    ContactChannel,
    ContactDirection,
    ContactOutcome,
)
from haven.cases.services import contact_log
from haven.core.actor import Actor
from haven.core.scoping import agency_scope, all_agencies
from haven.lib.phones import normalize_phone
from haven.notices import services
from haven.notices.models import (
    InboundKind,
    InboundState,
    InboundText,
    NoticeSettings,
    OptOut,
    OptOutChannel,
)
from haven.notices.staff_alerts import staff_alert_queue
from haven.people.models import ContactKind, ContactPoint, Person
from haven.people.services import contact_value_index

logger = logging.getLogger(__name__)

# A text that is only one of these words (any case, accents and punctuation ignored). The
# carriers' (CTIA) and Twilio's opt-out words, and those of the languages Haven writes in.
# "YES" is not an opt-in here: it is too often an answer to a question.
STOP_WORDS = {
    "STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "OPTOUT", "REVOKE",
    "ARRET", "PARAR", "BAJA", "CANCELAR", "停止", "退订", "توقف", "الغاء",
}  # fmt: skip
START_WORDS = {"START", "UNSTOP", "ALTA"}
HELP_WORDS = {"HELP", "INFO", "AYUDA", "POMOC", "帮助", "مساعدة"}
VIA_TEXT = "text"

# The answers, in the person's language (English for a number Haven does not know).
ANSWERS = {
    "stop": {
        "en": "You will not get more texts from this number. Reply START to get them again.",
        "es": "No recibirá más mensajes de este número. Responda START para recibirlos de nuevo.",
        "pl": "Nie otrzymasz więcej SMS-ów z tego numeru. Odpowiedz START, aby je przywrócić.",
        "zh": "您将不再收到此号码的短信。回复 START 可恢复接收。",
        "ar": "لن تصلك رسائل أخرى من هذا الرقم. أرسل START لتلقيها مجددًا.",
    },
    "start": {
        "en": "Texts from this number are on again. Reply STOP to stop them.",
        "es": "Los mensajes de este número están activados. Responda STOP para detenerlos.",
        "pl": "SMS-y z tego numeru są znowu włączone. Odpowiedz STOP, aby je zatrzymać.",
        "zh": "已恢复接收此号码的短信。回复 STOP 可停止。",
        "ar": "تم تشغيل الرسائل من هذا الرقم مجددًا. أرسل STOP لإيقافها.",
    },
    "help": {
        "en": "{agency}: messages about your case. Reply STOP to stop texts. "
        "In an emergency call 911.",
        "es": "{agency}: mensajes sobre su caso. Responda STOP para dejar de recibirlos. "
        "En una emergencia llame al 911.",
        "pl": "{agency}: wiadomości o Twojej sprawie. Odpowiedz STOP, aby zrezygnować. "
        "W nagłym wypadku dzwoń pod 911.",
        "zh": "{agency}：关于您案件的消息。回复 STOP 停止接收短信。紧急情况请拨打 911。",
        "ar": "{agency}: رسائل بخصوص قضيتك. أرسل STOP لإيقاف الرسائل. في حالة الطوارئ اتصل بـ 911.",
    },
    "reply": {
        "en": "Your message was received. This number is not watched at all hours: "
        "in an emergency call 911.",
        "es": "Recibimos su mensaje. Este número no se atiende a todas horas: "
        "en una emergencia llame al 911.",
        "pl": "Otrzymaliśmy wiadomość. Ten numer nie jest obsługiwany całą dobę: "
        "w nagłym wypadku dzwoń pod 911.",
        "zh": "已收到您的消息。此号码并非全天候有人值守：紧急情况请拨打 911。",
        "ar": "تم استلام رسالتك. هذا الرقم غير مراقب في كل الأوقات: في حالة الطوارئ اتصل بـ 911.",
    },
}


@dataclass
class Received:
    """What became of a text, and the answer to send back ("" for none)."""

    text: InboundText | None
    answer: str = ""


def keyword(body: str) -> str:
    """The keyword a text is, if it is nothing else: "stop", "start", "help" or ""."""
    decomposed = unicodedata.normalize("NFKD", (body or "").strip())
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    word = "".join(ch for ch in bare if ch.isalnum()).upper()
    if word in STOP_WORDS:
        return InboundKind.STOP
    if word in START_WORDS:
        return InboundKind.START
    if word in HELP_WORDS:
        return InboundKind.HELP
    return InboundKind.REPLY


def _phone(raw: str) -> str:
    try:
        return normalize_phone(raw)
    except ValidationError:
        return (raw or "").strip()


def agency_for_number(to: str) -> Agency | None:
    """The agency whose SMS sender is the number texted; with no agency naming it, the only
    active agency when the number is HAVEN_SMS_FROM. None when nobody owns it."""
    wanted = _phone(to)
    with all_agencies():
        senders = list(
            NoticeSettings.objects.exclude(sms_sender="").values_list("agency_id", "sms_sender")
        )
        owners = [agency_id for agency_id, sender in senders if _phone(sender) == wanted]
        if len(owners) == 1:
            return Agency.objects.get(pk=owners[0])
        if owners or not wanted or _phone(settings.HAVEN_SMS_FROM or "") != wanted:
            return None
        with_own = {agency_id for agency_id, _ in senders}
        agencies = list(Agency.objects.filter(is_active=True).exclude(pk__in=with_own)[:2])
    return agencies[0] if len(agencies) == 1 else None


def _people_with(agency: Agency, number: str) -> list[Person]:
    index = contact_value_index(ContactKind.PHONE, number)
    ids = ContactPoint.objects.filter(
        agency=agency, kind=ContactKind.PHONE, value_index=index
    ).values_list("person_id", flat=True)
    return list(Person.objects.filter(pk__in=list(ids)).order_by("pk"))


def _cases_of(people: list[Person]) -> list[Case]:
    """The cases these people are on (as the victim or as a person served): the open ones,
    or, when none is open, all of them."""
    if not people:
        return []
    ids = [p.pk for p in people]
    query = Case.objects.filter(
        Q(primary_victim_id__in=ids) | Q(related_people__person_id__in=ids)
    ).distinct()
    open_cases = [c for c in query if c.is_open]
    return open_cases or list(query)


def inbound_receive(
    *, provider: str, external_id: str, sender: str, to: str, body: str, at: datetime | None = None
) -> Received:
    """A text came in (see the module's docstring). Returns what was stored and the answer."""
    agency = agency_for_number(to)
    if agency is None:
        logger.warning("A text to %s, a number no agency owns, was dropped.", to)
        return Received(None)
    at = at or timezone.now()
    number = _phone(sender)
    kind = keyword(body)
    with agency_scope(agency), transaction.atomic():
        people = _people_with(agency, number)
        cases = _cases_of(people)
        try:
            with transaction.atomic():
                text = InboundText.objects.create(
                    agency=agency,
                    provider=provider,
                    external_id=external_id[:200],
                    sender=number,
                    sender_index=contact_value_index(ContactKind.PHONE, number),
                    to_number=_phone(to)[:20],
                    body=(body or "")[:2000],
                    kind=kind,
                    state=InboundState.KEYWORD,
                    person=people[0] if len(people) == 1 else None,
                    case=cases[0] if len(cases) == 1 else None,
                    received_at=at,
                )
        except IntegrityError:
            return Received(None)  # the provider sent it again: stored and answered already
        system = Actor.system(agency, "text from a victim")
        language = people[0].preferred_language if len(people) == 1 else "en"
        if kind == InboundKind.STOP:
            for person in people:
                services.opt_out_record(
                    actor=system, person=person, channel=OptOutChannel.SMS, via=VIA_TEXT
                )
            _keyword_event(system, cases, "replied STOP: texts to them are off")
            return Received(text, _answer("stop", language))
        if kind == InboundKind.START:
            _start(system, people, at)
            _keyword_event(system, cases, "replied START: texts to them are on again")
            return Received(text, _answer("start", language))
        if kind == InboundKind.HELP:
            return Received(text, _answer("help", language).format(agency=agency.name))
        _land(system, text, people, cases)
    return Received(text, _answer("reply", language))


def _answer(key: str, language: str) -> str:
    return ANSWERS[key].get(language) or ANSWERS[key]["en"]


def _start(actor: Actor, people: list[Person], at: datetime) -> None:
    """START ends only the opt-outs a STOP text made."""
    for person in people:
        ended = OptOut.objects.filter(
            person=person, channel=OptOutChannel.SMS, via=VIA_TEXT, ended_at__isnull=True
        ).update(ended_at=at)
        if ended:
            audit_record(
                actor=actor,
                action=AuditAction.NOTICE_OPT_IN,
                obj=person,
                details={"channel": OptOutChannel.SMS, "via": VIA_TEXT},
            )


def _keyword_event(actor: Actor, cases: list[Case], what: str) -> None:
    for case in cases:
        CaseEvent.objects.create(
            agency_id=case.agency_id,
            case=case,
            kind=CaseEventKind.NOTICE,
            at=timezone.now(),
            data={"summary": f"Text from the person: {what}"},
        )


def _land(actor: Actor, text: InboundText, people: list[Person], cases: list[Case]) -> None:
    if not people:
        text.state = InboundState.UNKNOWN
        text.save(update_fields=["state"])
        _tell_queue(text, "A text from a number Haven does not know")
        return
    if len(cases) != 1:
        text.state = InboundState.TRIAGE
        text.case = None
        text.candidate_cases = [c.pk for c in cases]
        text.save(update_fields=["state", "case", "candidate_cases"])
        _tell_queue(text, "A text from a number on more than one case")
        return
    _put_on_case(actor, text, cases[0], people)


def _put_on_case(actor: Actor, text: InboundText, case: Case, people: list[Person]) -> None:
    """The text becomes an inbound text contact on the case, and its specialist is told."""
    on_case = {case.primary_victim_id} | set(
        case.related_people.values_list("person_id", flat=True)
    )
    person = next((p for p in people if p.pk in on_case), None)
    contact = contact_log(
        actor=actor,
        case=case,
        outcome=ContactOutcome.COMPLETED,
        channel=ContactChannel.TEXT,
        direction=ContactDirection.INBOUND,
        occurred_at=min(text.received_at, timezone.now()),
        summary=text.body or "(an empty text)",
        person=None if person is None or person.pk == case.primary_victim_id else person,
    )
    text.state = InboundState.ON_CASE
    text.case = case
    text.person = person
    text.contact = contact
    text.save(update_fields=["state", "case", "person", "contact"])
    audit_record(
        actor=actor,
        action=AuditAction.NOTICE_REPLY,
        obj=text,
        details={"case": case.pk, "state": text.state},
    )
    _tell_specialist(text, case)


def _link() -> str:
    return f"{settings.SITE_URL}{reverse('notices:list')}#replies"


def _tell_specialist(text: InboundText, case: Case) -> None:
    """An email to the case's specialist (no words of the text: a case number and a link);
    unassigned, to whoever takes the agency's queue."""
    if case.assigned_to_id is None:
        _tell_queue(text, f"A text reply on unassigned case {case.number}")
        return
    staff_alert_queue(
        agency=case.agency,
        kind="text_reply",
        subject=f"Text reply on case {case.number}",
        body=(
            f"A victim's text reply came in on case {case.number}.\n\n"
            f"Read it in Haven (Messages to handle): {_link()}\n"
        ),
        dedupe_key=f"text_reply:{text.pk}",
        to_members=[case.assigned_to],
        case=case,
        source=f"notices.inboundtext:{text.pk}",
    )


def _queue_takers(agency: Agency) -> list[Membership]:
    on_call = on_call_member(agency)
    if on_call is not None:
        return [on_call]
    members = Membership.objects.filter(agency=agency, is_active=True).select_related("user")
    supervisors = [m for m in members if m.role == Role.SUPERVISOR]
    return supervisors or [m for m in members if m.role == Role.COORDINATOR]


def _tell_queue(text: InboundText, what: str) -> None:
    staff_alert_queue(
        agency=text.agency,
        kind="text_queue",
        subject="A text waits on the agency's list",
        body=f"{what} came in.\n\nRead it in Haven (Messages to handle): {_link()}\n",
        dedupe_key=f"text_queue:{text.pk}",
        to_members=_queue_takers(text.agency),
        source=f"notices.inboundtext:{text.pk}",
    )


# ---------------------------------------------------------------- staff actions


def takes_queue(actor: Actor) -> bool:
    """Who sees texts that are on no case (unknown number, several cases): supervisors,
    coordinators, and the specialist on call now."""
    if actor.membership is None or not actor.has(Perm.CASE_WORK):
        return False
    if actor.has(Perm.CASE_ASSIGN):
        return True
    on_call = on_call_member(actor.agency)
    return on_call is not None and on_call.pk == actor.membership.pk


def inbound_mark_handled(*, actor: Actor, text: InboundText) -> InboundText:
    """The specialist read the text and acted on it (answered, called): it leaves the list.
    Refused: a text on a case the actor may not work, or one on no case for someone who does
    not take the agency's list."""
    actor.require(Perm.CASE_WORK)
    actor.require_own(text)
    if text.case_id is None and not takes_queue(actor):
        raise PermissionDenied
    with transaction.atomic():
        updated = InboundText.objects.filter(pk=text.pk, handled_at__isnull=True).update(
            handled_at=timezone.now(), handled_by=actor.membership
        )
        if not updated:
            raise ValidationError(gettext("This text was already handled."))
        text.refresh_from_db()
        audit_record(
            actor=actor,
            action=AuditAction.NOTICE_REPLY_HANDLED,
            obj=text,
            details={"case": text.case_id},
        )
    return text


def inbound_assign_case(*, actor: Actor, text: InboundText, case: Case) -> InboundText:
    """Triage: a person chose which case a text from a number on several cases is about. The
    case must be one the number was found on. It then lands like any matched reply."""
    actor.require(Perm.CASE_WORK)
    actor.require_own(text)
    if not takes_queue(actor):
        raise PermissionDenied
    if text.state != InboundState.TRIAGE or case.pk not in text.candidate_cases:
        raise ValidationError(gettext("Choose one of the cases this number was found on."))
    with transaction.atomic():
        locked = InboundText.objects.select_for_update().get(pk=text.pk)
        if locked.state != InboundState.TRIAGE:
            raise ValidationError(gettext("This text was already put on a case."))
        people = _people_with(text.agency, text.sender)
        _put_on_case(actor, locked, case, people)
        audit_record(
            actor=actor,
            action=AuditAction.NOTICE_REPLY_HANDLED,
            obj=locked,
            details={"case": case.pk, "triage": True},
        )
    return locked
