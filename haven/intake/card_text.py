"""The officer's "what to tell the victim" card sent as a text (issue 14, item 5).

The card prints in five languages (victim_card.py); this sends its gist to the victim's phone:
the unit's name and phone, when the phone is answered, the unit's public help page and the
rights on it, in the victim's language. Never the case number, the crime, a name or anything
the officer wrote: a text can be read by whoever holds the phone. The notices template
`victim_card` says it, and render.SMS_FACTS lets only those facts into it.

It goes only:
- to a phone the victim said is safe: marked OK to contact and OK to text (at the scene, the
  officer's "OK to text" box). Anything else is refused; the printed card is the way then;
- with the victim's consent to be texted recorded. At the scene, the officer asks whether
  the victim agrees to be contacted by victim services (scene_referral.Consent): "yes" with a
  phone marked OK to text is that consent. Without it ("no", "could not ask") the officer may
  record the victim's yes with the send (`consent_now`); the yes is audited and on the case
  timeline;
- through the notices outbox (message_queue, channel text only): the person's opt-outs, the
  agency's quiet hours and the phone's safe hours apply, the worker sends it and the case
  shows its delivery. Once per case and person (a second send returns the first).

Who: the officer who made the referral, from their receipt (lent case.work for the one
message_queue call, like the referral itself lends what it needs), or staff who work the case,
from the case page (views.case_card_text).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from haven.agencies.roles import Perm
from haven.audit.models import AuditAction, AuditEvent
from haven.audit.services import audit_record
from haven.cases.models import Case, CaseEvent, CaseEventKind, CaseSource
from haven.core.actor import Actor
from haven.intake.hooks import public_facts
from haven.intake.scene_referral import Consent, _ReferringActor, _shown_phone
from haven.notices import render
from haven.notices.models import Channel, Message
from haven.notices.services import message_queue
from haven.people.models import ContactKind, ContactPoint, Person

TEMPLATE = "victim_card"
# What sending the card takes beyond intake.scene_referral, lent to the referring officer.
CARD_LENT = frozenset({Perm.CASE_WORK})

NO_SAFE_PHONE = (
    "No phone of the victim is marked safe to text, so the card cannot go as a text. "
    "Hand them the printed card."
)
NO_CONSENT = (
    "The victim's consent to be texted is not recorded. Ask them: if they say yes, tick "
    '"The victim says yes to this text" and send again.'
)


@dataclass(frozen=True)
class CardText:
    """What the receipt's "Send as a text" box shows."""

    phone_ending: str  # last digits of the safe phone, "" when there is none
    refusal: str  # why it cannot go, for the officer; "" when it can
    consent_recorded: bool  # the victim's yes is already recorded
    language: str  # the language the text goes in
    fell_back: bool  # no template in the victim's language: English
    preview: str  # the text as it will read, before the stop link
    sent: tuple[Message, ...] = ()  # the texts already made (status and time)


def _dedupe_key(case: Case, person: Person) -> str:
    return f"victim_card:{case.pk}:{person.pk}"


def safe_phone(person: Person, points=None) -> ContactPoint | None:
    """The phone the outbox would text (notices.services._plan): OK to contact and to text.
    `points`: the person's contact points when the caller has them already (the case page)."""
    if points is None:
        points = person.contact_points.filter(kind=ContactKind.PHONE)
    for point in points:
        if point.kind == ContactKind.PHONE and point.ok_to_contact and point.ok_text:
            return point
    return None


def scene_consent(case: Case) -> str:
    """The officer's answer at the scene (scene_referral.Consent), as the referral's audit
    event recorded it; "" when the case did not come from a scene referral."""
    if case.source != CaseSource.OFFICER_REFERRAL:
        return ""
    event = (
        AuditEvent.objects.filter(
            agency_id=case.agency_id,
            action=AuditAction.SCENE_REFERRAL,
            object_type="cases.case",
            object_id=str(case.pk),
        )
        .order_by("at")
        .first()
    )
    return (event.details or {}).get("consent", "") if event else ""


def _facts(case: Case, person: Person) -> dict:
    agency = case.agency
    specialist = case.assigned_to
    phone = _shown_phone(agency.phone) or (_shown_phone(specialist.phone) if specialist else "")
    facts = {"phone": phone, **public_facts(agency, person.preferred_language or "en")}
    # A text is cut at render.SMS_MAX: rather than a cut link, leave out the hours, then the
    # rights link (the help page has both) for a long unit name or site address.
    for optional in ("hours", "rights_url"):
        if len(_rendered(case, person, facts).sms) < render.SMS_MAX:
            break
        facts[optional] = ""
    return facts


def _rendered(case: Case, person: Person, facts: dict) -> render.Rendered:
    return render.render(
        key=TEMPLATE,
        language=person.preferred_language or "en",
        facts=facts,
        tz=case.agency.tz,
        extra={"name": "", "agency": case.agency.name, "specialist": ""},
    )


def _sending_actor(actor: Actor, case: Case) -> Actor:
    """The actor message_queue runs as: staff who work the case as themselves; the officer who
    referred it with case.work lent. Anyone else: 404, as for a case that does not exist."""
    if actor.is_system:
        raise PermissionDenied("The card is sent by a member of the agency.")
    if case.agency_id != actor.agency.pk:
        raise Http404("No such case.")
    if actor.has(Perm.CASE_WORK):
        return actor
    if (
        actor.has(Perm.SCENE_REFERRAL)
        and case.source == CaseSource.OFFICER_REFERRAL
        and case.created_by_id == actor.membership.pk
    ):
        return _ReferringActor.lending(actor, CARD_LENT)
    raise Http404("No such case.")


def card_text_sent(case: Case) -> tuple[Message, ...]:
    """The card's texts already made for `case`'s victim (status and time), oldest first."""
    key = _dedupe_key(case, case.primary_victim)
    return tuple(Message.objects.filter(agency=case.agency, dedupe_key=key).order_by("created_at"))


def card_text_state(*, actor: Actor, case: Case) -> CardText:
    """What the send box shows for `case`'s victim. Reads only what the officer gave."""
    _sending_actor(actor, case)
    person = case.primary_victim
    point = safe_phone(person)
    recorded = scene_consent(case) == Consent.YES
    facts = _facts(case, person)
    out = _rendered(case, person, facts)
    sent = card_text_sent(case)
    digits = "".join(c for c in point.value if c.isdigit()) if point else ""
    return CardText(
        phone_ending=digits[-4:],
        refusal="" if point else NO_SAFE_PHONE,
        consent_recorded=recorded,
        language=out.language,
        fell_back=out.fell_back,
        preview=out.sms,
        sent=sent,
    )


def victim_card_text_send(*, actor: Actor, case: Case, consent_now: bool = False) -> list[Message]:
    """Queue the card as a text to `case`'s victim, in their language (English, with the
    message's note, when Haven has no template in it). Returns the message(s).

    Refused (ValidationError, nothing queued) when no phone of the victim is marked OK to
    contact and OK to text, and when their consent to be texted is not recorded (the scene's
    "yes" to contact) and the sender does not record it now (`consent_now`). 404 for anyone
    but the referring officer and staff who work the case. A second send returns the first
    text. Audited (`case.card_text`, with how consent was given) and on the case timeline."""
    sender = _sending_actor(actor, case)
    person = case.primary_victim
    key = _dedupe_key(case, person)
    existing = list(Message.objects.filter(agency=case.agency, dedupe_key=key))
    if existing:
        return existing
    if safe_phone(person) is None:
        raise ValidationError(NO_SAFE_PHONE)
    recorded = scene_consent(case) == Consent.YES
    if not recorded and not consent_now:
        raise ValidationError({"consent_now": NO_CONSENT})
    facts = _facts(case, person)
    with transaction.atomic():
        made = message_queue(
            actor=sender,
            case=case,
            person=person,
            template=TEMPLATE,
            facts=facts,
            dedupe_key=key,
            channels=[Channel.SMS],
            source="intake.victim_card",
        )
        consent = "scene" if recorded else "given_with_send"
        if not recorded:
            CaseEvent.objects.create(
                agency_id=case.agency_id,
                case=case,
                kind=CaseEventKind.NOTICE,
                at=timezone.now(),
                actor=actor.membership,
                data={
                    "summary": "the victim said yes to getting the officer's card by text "
                    f"(recorded by {actor.membership.display_name} with the send)"
                },
            )
        audit_record(
            actor=actor,
            action=AuditAction.CARD_TEXT,
            obj=case,
            details={
                "consent": consent,
                "messages": [m.pk for m in made],
                "language": made[0].language if made else "",
            },
        )
    return made
