"""The rights obligations an event yields (rules.py), opened in the event's own transaction,
each owed notice queued through haven.notices (contract 2); honored, waived, or no longer
applicable when the court moves or strikes the date."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from haven.agencies.roles import Perm
from haven.audit.models import AuditAction
from haven.audit.services import audit_record
from haven.cases.models import Case
from haven.core.actor import Actor
from haven.justice import events
from haven.justice.models import (
    CourtCase,
    CourtEvent,
    CustodyEvent,
    HonoredHow,
    Jurisdiction,
    ObligationStatus,
    OwedBy,
    RightsObligation,
)
from haven.justice.rules import Rule, rules_for
from haven.justice.services.permissions import _require_case_write
from haven.justice.services.rights import _requested, jurisdictions_for, settings_of, victims_of
from haven.lib.languages import in_english
from haven.notices.services import message_queue, messages_withdraw

SENDS = (OwedBy.UNIT, OwedBy.POLICE)  # owers whose notices the unit sends itself


def _facts(obligation: RightsObligation, rule_template: str) -> dict:
    event = obligation.event
    if isinstance(event, CourtEvent):
        facts = {
            "event": event.get_kind_display(),
            "when": event.scheduled_at,
            "place": event.place,
            "court_case": event.court_case.number,
        }
        if rule_template == "court_event_changed" and event.previous_scheduled_at:
            facts["previous_when"] = event.previous_scheduled_at
        if rule_template == "court_event_outcome":
            facts["outcome"] = event.outcome
        return facts
    # The kind only: release conditions are free text from a feed or a form and may name the
    # crime; the specialist tells them by phone.
    return {"event": event.get_kind_display(), "when": event.occurred_at}


def _queue_message(actor: Actor, obligation: RightsObligation, *, round_: int = 0) -> None:
    """Ask notices to tell the victim. Without the notices app (or refused by it) the
    obligation stays open for the specialist, with a note saying why."""
    # A feed (an API token) cannot message victims itself; the notice is the law's, so the
    # unit's system actor queues it, named after the feed for the access log.
    if not actor.has(Perm.CASE_WORK):
        actor = Actor.system(actor.agency, f"rights notice ({actor.label})"[:150])
    try:
        message_queue(
            actor=actor,
            case=obligation.case,
            person=obligation.person,
            template=obligation.template,
            facts=_facts(obligation, obligation.template),
            # A reopened obligation (a date moved back) is told again: a fresh key.
            dedupe_key=f"obligation:{obligation.pk}" + (f":{round_}" if round_ else ""),
            source=f"justice.obligation:{obligation.pk}",
        )
    except (ValidationError, PermissionDenied) as exc:
        reason = "; ".join(getattr(exc, "messages", [str(exc)]))
        obligation.note = f"No message queued: {reason}"[:300]
        obligation.save(update_fields=["note"])


def _open_obligations(
    actor: Actor,
    *,
    case: Case,
    court_case: CourtCase | None,
    trigger: str,
    kind: str,
    trigger_at: datetime,
    event_at: datetime,
    court_event: CourtEvent | None = None,
    custody_event: CustodyEvent | None = None,
) -> list[RightsObligation]:
    """Each victim × each applicable rule: one obligation, never twice (the unique keys make
    a repeated call a no-op). Returns the obligations created now."""
    jurisdictions = (
        jurisdictions_for(court_case)
        if court_case is not None
        else [j for j in (Jurisdiction.ILLINOIS,) if settings_of(case.agency).illinois]
    )
    rules: list[Rule] = rules_for(jurisdictions, trigger, kind)
    if not rules:
        return []
    requested = _requested(case)
    created: list[RightsObligation] = []
    reopened: list[RightsObligation] = []
    times = {"trigger_at": trigger_at, "event_at": event_at}
    for person in victims_of(case):
        for rule in rules:
            if rule.on_request and person.pk not in requested:
                continue
            key = {"person": person, "rule_key": rule.key, "event_time": event_at}
            if court_event is not None:
                key |= {"court_event": court_event}
            else:
                key |= {"custody_event": custody_event}
            found = RightsObligation.objects.filter(**key).first()
            if found is None:
                created.append(_new_obligation(case, rule, key, trigger=trigger, **times))
            elif found.status == ObligationStatus.NOT_APPLICABLE and trigger == "court.moved":
                _reopen(found, rule, trigger=trigger, **times)
                reopened.append(found)
    _tell(actor, created, reopened, round_=court_event.sequence if court_event else 1)
    if created:
        audit_record(
            actor=actor,
            action=AuditAction.OBLIGATION_CREATE,
            object_type="justice.rightsobligation",
            object_id=created[0].pk,
            details={
                "case": case.pk,
                "trigger": trigger,
                "obligations": [o.pk for o in created],
                "rules": sorted({o.rule_key for o in created}),
            },
        )
    return created


def _new_obligation(
    case: Case, rule: Rule, key: dict, *, trigger: str, trigger_at: datetime, event_at: datetime
) -> RightsObligation:
    obligation = RightsObligation(
        agency=case.agency,
        case=case,
        jurisdiction=rule.jurisdiction,
        right=rule.right,
        citation=rule.citation,
        owed_by=rule.owed_by,
        on_request=rule.on_request,
        template=rule.template_for(trigger),
        due_at=rule.due_at(trigger_at=trigger_at, event_at=event_at),
        **key,
    )
    obligation.full_clean(validate_constraints=False)
    obligation.save()
    return obligation


def _reopen(
    found: RightsObligation, rule: Rule, *, trigger: str, trigger_at: datetime, event_at: datetime
) -> None:
    """The date moved back to a time it had before: what it owed is owed again."""
    found.status = ObligationStatus.OPEN
    found.template = rule.template_for(trigger)
    found.due_at = rule.due_at(trigger_at=trigger_at, event_at=event_at)
    found.note = "The court moved the date back to this time."
    found.save(update_fields=["status", "template", "due_at", "note"])


def _tell(
    actor: Actor,
    created: list[RightsObligation],
    reopened: list[RightsObligation],
    *,
    round_: int,
) -> None:
    """Queue the notice of each obligation the unit or the police owe that has a template; a
    reopened one is told again, in this round."""
    for obligation in created:
        if obligation.owed_by in SENDS and obligation.template:
            _queue_message(actor, obligation)
    for obligation in reopened:
        if obligation.owed_by in SENDS and obligation.template:
            _queue_message(actor, obligation, round_=round_)


def _open_for_event(
    actor: Actor, event: CourtEvent | CustodyEvent, *, trigger: str, trigger_at: datetime
) -> list[RightsObligation]:
    """_open_obligations for a court or custody event: its case, court case, kind and time."""
    court = isinstance(event, CourtEvent)
    return _open_obligations(
        actor,
        case=event.case,
        court_case=event.court_case,
        trigger=trigger,
        kind=event.kind,
        trigger_at=trigger_at,
        event_at=event.scheduled_at if court else event.occurred_at,
        court_event=event if court else None,
        custody_event=None if court else event,
    )


def _close_open(
    actor: Actor, event: CourtEvent, *, before_time: datetime | None = None, note: str
) -> int:
    """Open obligations of a court event that no longer apply (cancelled, or owed for a date
    that moved): not applicable; and every notice queued for them that no worker has claimed
    yet is withdrawn, so the victim never gets the old date. Honored ones stay."""
    found = RightsObligation.objects.filter(court_event=event, status=ObligationStatus.OPEN)
    if before_time is not None:
        found = found.filter(event_time=before_time)
    pks = list(found.values_list("pk", flat=True))
    closed = found.update(status=ObligationStatus.NOT_APPLICABLE, note=note[:300])
    messages_withdraw(
        actor=actor,
        sources=[f"justice.obligation:{pk}" for pk in pks],
        reason=note,
    )
    return closed


def obligation_honor(
    *,
    actor: Actor,
    obligation: RightsObligation,
    how: str,
    at: datetime | None = None,
    note: str = "",
) -> RightsObligation:
    """Record a right as honored (for the prosecutor's: confirmed done). Refused without
    case.work on the case, for an obligation not open, a time in the future, or an unknown
    way."""
    if actor.api_token_id is not None or not actor.is_system:
        _require_case_write(actor, obligation.case)
    if how not in HonoredHow.values:
        raise ValidationError({"how": f"Choose how: {', '.join(HonoredHow.values)}."})
    at = at or timezone.now()
    if at > timezone.now() + timezone.timedelta(minutes=5):
        raise ValidationError({"at": gettext("A right is honored when it was, not in the future.")})
    with transaction.atomic():
        locked = RightsObligation.objects.select_for_update().get(pk=obligation.pk)
        if locked.status != ObligationStatus.OPEN:
            raise ValidationError(
                f"This obligation is already {locked.get_status_display().lower()}."
            )
        locked.status = ObligationStatus.HONORED
        locked.honored_at = at
        locked.how = how
        locked.by = actor.membership
        locked.by_label = actor.label[:150]
        locked.note = note.strip()[:300] or locked.note
        locked.full_clean(validate_constraints=False)
        locked.save(update_fields=["status", "honored_at", "how", "by", "by_label", "note"])
        events.obligation_honored(actor, locked)
        audit_record(
            actor=actor,
            action=AuditAction.OBLIGATION_HONOR,
            obj=locked,
            details={"case": locked.case_id, "person": locked.person_id, "how": how},
        )
    return locked


def obligation_waive(
    *, actor: Actor, obligation: RightsObligation, reason: str
) -> RightsObligation:
    """The victim declined it (or it cannot apply): waived, with the reason. Refused without a
    reason or for an obligation not open."""
    _require_case_write(actor, obligation.case)
    reason = reason.strip()
    if not reason:
        raise ValidationError(
            {"reason": gettext("Say why the right is waived (e.g. the victim declined).")}
        )
    with transaction.atomic():
        locked = RightsObligation.objects.select_for_update().get(pk=obligation.pk)
        if locked.status != ObligationStatus.OPEN:
            raise ValidationError(
                f"This obligation is already {locked.get_status_display().lower()}."
            )
        locked.status = ObligationStatus.WAIVED
        locked.note = reason[:300]
        locked.by = actor.membership
        locked.by_label = actor.label[:150]
        locked.save(update_fields=["status", "note", "by", "by_label"])
        audit_record(
            actor=actor,
            action=AuditAction.OBLIGATION_CLOSE,
            obj=locked,
            reason=reason[:300],
            details={"case": locked.case_id, "status": "waived"},
        )
    return locked


def obligation_honor_from_message(message) -> RightsObligation | None:
    """notices sent or delivered a message queued for an obligation: the right is honored,
    at that time, by message. Anything else (or an obligation already closed) is ignored."""
    source = getattr(message, "source", "") or ""
    if not source.startswith("justice.obligation:"):
        return None
    try:
        pk = int(source.split(":", 1)[1])
    except ValueError:
        return None
    from haven.core.scoping import agency_scope

    with agency_scope(message.agency_id):
        obligation = RightsObligation.objects.filter(
            pk=pk, agency_id=message.agency_id, status=ObligationStatus.OPEN
        ).first()
        if obligation is None:
            return None
        actor = Actor.system(obligation.case.agency, "notices delivery")
        return obligation_honor(
            actor=actor,
            obligation=obligation,
            how=HonoredHow.MESSAGE,
            at=message.delivered_at or message.sent_at or timezone.now(),
            note=f"{in_english(message.get_channel_display)} "
            f"{in_english(message.get_status_display).lower()}",
        )


def _save_new_event(
    actor: Actor,
    event: CourtEvent | CustodyEvent,
    *,
    line: Callable[[Actor, CourtEvent | CustodyEvent], object],
    action: str,
    details: dict,
    trigger: str,
    trigger_at: datetime,
) -> None:
    """A new court or custody event, in the caller's transaction: validated and saved, its
    timeline `line` written, audited, and the obligations it yields opened."""
    event.full_clean()
    event.save()
    line(actor, event)
    audit_record(actor=actor, action=action, obj=event, details=details)
    _open_for_event(actor, event, trigger=trigger, trigger_at=trigger_at)
