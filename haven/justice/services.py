"""Writing the justice timeline: court cases, court and custody events, and the rights
obligations each event yields (rules.py), in the event's own transaction.

Manual entry needs case.work on a case the actor may see; feeds (CSV, API) need
justice.import and reach any case of the actor's agency. Every write is audited; each event
writes a case timeline line. Obligations the unit or the police owe that have a message
template queue a message to the victim through haven.notices (contract 2) and are marked
honored when notices reports the message delivered.
"""

from __future__ import annotations

import logging
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from haven.agencies.roles import Perm
from haven.audit.models import AuditAction
from haven.audit.services import audit_record
from haven.cases.models import Case, CasePerson
from haven.cases.selectors import cases_visible_to
from haven.core.actor import Actor
from haven.core.versions import check_version, save_versioned
from haven.followup.accompaniment import (
    accompaniments_follow_court_event,
    pending_accompaniment,
)
from haven.followup.models import FollowUpKind
from haven.followup.services import followup_schedule
from haven.justice import events
from haven.justice.models import (
    CalendarFeed,
    CourtCase,
    CourtEvent,
    CourtEventStatus,
    CourtLevel,
    CustodyEvent,
    HonoredHow,
    Jurisdiction,
    JusticeSettings,
    ObligationStatus,
    OwedBy,
    RightsObligation,
    RightsRequest,
)
from haven.justice.rules import Rule, rules_for
from haven.lib.languages import in_english
from haven.notices.services import message_queue, messages_withdraw
from haven.people.models import Person

log = logging.getLogger(__name__)

ACTIVE = (CourtEventStatus.SCHEDULED, CourtEventStatus.CONTINUED)
SENDS = (OwedBy.UNIT, OwedBy.POLICE)  # owers whose notices the unit sends itself


# -- who may write --------------------------------------------------------------------------


def _require_case_write(actor: Actor, case: Case, *, feed: bool = False) -> None:
    """Manual entry: case.work and a case in the actor's reach. A feed: justice.import and a
    case of the actor's agency (a records system sees no caseloads)."""
    actor.require_own(case)
    if feed:
        actor.require(Perm.JUSTICE_IMPORT)
        return
    actor.require(Perm.CASE_WORK)
    if not cases_visible_to(actor).filter(pk=case.pk).exists():
        raise PermissionDenied("That case is outside your caseload.")


# -- settings and who is owed ---------------------------------------------------------------


def settings_of(agency) -> JusticeSettings:
    found = JusticeSettings.objects.filter(agency=agency).first()
    return found or JusticeSettings(agency=agency)


def jurisdictions_for(court_case: CourtCase) -> list[str]:
    """Illinois rules for state court cases, the CVRA for federal ones, each if the agency
    has it on."""
    chosen = settings_of(court_case.agency)
    if court_case.level == CourtLevel.FEDERAL:
        return [Jurisdiction.FEDERAL] if chosen.federal_cvra else []
    return [Jurisdiction.ILLINOIS] if chosen.illinois else []


def victims_of(case: Case) -> list[Person]:
    """Everyone owed the rights: the primary victim and each person the case serves (for a
    homicide, the family the unit serves)."""
    served = (
        CasePerson.objects.filter(case=case, is_served=True).select_related("person").order_by("pk")
    )
    return [case.primary_victim, *(link.person for link in served)]


def _requested(case: Case) -> set[int]:
    return set(
        RightsRequest.objects.filter(case=case, withdrawn_at__isnull=True).values_list(
            "person_id", flat=True
        )
    )


def justice_settings_save(
    *, actor: Actor, illinois: bool, federal_cvra: bool, version: int | None = None
) -> JusticeSettings:
    """Choose the rule sets. Refused without agency.configure, and when the settings were
    saved since `version` (StaleEdit, nothing written). Applies to events recorded from now
    on; obligations already opened stay as they are."""
    actor.require(Perm.AGENCY_CONFIGURE)
    with transaction.atomic():
        found, _ = JusticeSettings.objects.get_or_create(agency=actor.agency)
        check_version(found, version)
        before = {"illinois": found.illinois, "federal_cvra": found.federal_cvra}
        found.illinois, found.federal_cvra = illinois, federal_cvra
        found.full_clean()
        save_versioned(found, version=version, fields=["illinois", "federal_cvra", "updated_at"])
        audit_record(
            actor=actor,
            action=AuditAction.JUSTICE_SETTINGS,
            obj=found,
            details={
                "before": before,
                "after": {"illinois": illinois, "federal_cvra": federal_cvra},
            },
        )
    return found


def rights_request_record(*, actor: Actor, case: Case, person: Person) -> RightsRequest:
    """Record that a victim on the case asked for the rights given only on request. Refused
    for someone the case does not serve."""
    _require_case_write(actor, case)
    if person.pk not in {p.pk for p in victims_of(case)}:
        raise ValidationError(
            {"person": gettext("Only a victim the case serves can ask for notices.")}
        )
    with transaction.atomic():
        found, created = RightsRequest.objects.get_or_create(
            agency=case.agency,
            case=case,
            person=person,
            defaults={"recorded_by": actor.membership},
        )
        if not created and found.withdrawn_at is not None:
            found.withdrawn_at = None
            found.requested_at = timezone.now()
            found.save(update_fields=["withdrawn_at", "requested_at"])
        events.justice_line(actor, case, f"{person.full_name} asked to be told on request")
        audit_record(
            actor=actor,
            action=AuditAction.OBLIGATION_CREATE,
            obj=found,
            details={"case": case.pk, "person": person.pk, "request": True},
        )
    return found


# -- obligations ----------------------------------------------------------------------------


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
            if found is not None:
                if found.status == ObligationStatus.NOT_APPLICABLE and trigger == "court.moved":
                    # The date moved back to a time it had before: what it owed is owed again.
                    found.status = ObligationStatus.OPEN
                    found.template = rule.template_for(trigger)
                    found.due_at = rule.due_at(trigger_at=trigger_at, event_at=event_at)
                    found.note = "The court moved the date back to this time."
                    found.save(update_fields=["status", "template", "due_at", "note"])
                    reopened.append(found)
                continue
            template = rule.template_for(trigger)
            obligation = RightsObligation(
                agency=case.agency,
                case=case,
                jurisdiction=rule.jurisdiction,
                right=rule.right,
                citation=rule.citation,
                owed_by=rule.owed_by,
                on_request=rule.on_request,
                template=template,
                due_at=rule.due_at(trigger_at=trigger_at, event_at=event_at),
                **key,
            )
            obligation.full_clean(validate_constraints=False)
            obligation.save()
            created.append(obligation)
    for obligation in created:
        if obligation.owed_by in SENDS and obligation.template:
            _queue_message(actor, obligation)
    for obligation in reopened:
        if obligation.owed_by in SENDS and obligation.template:
            _queue_message(actor, obligation, round_=court_event.sequence if court_event else 1)
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


# -- court cases and events -----------------------------------------------------------------

COURT_CASE_FIELDS = (
    "court",
    "level",
    "number",
    "charges",
    "defendant_name",
    "prosecutor_name",
    "prosecutor_phone",
    "prosecutor_email",
    "status",
)


def court_case_save(
    *,
    actor: Actor,
    case: Case,
    court_case: CourtCase | None = None,
    feed: bool = False,
    version: int | None = None,
    **fields,
) -> CourtCase:
    """Add a court case to a case, or change one. Refused without case.work (or, for a feed,
    justice.import), for a case outside reach, a blank court or number, or a number the case
    already has; a change, when the court case was saved since `version` (StaleEdit, nothing
    written)."""
    _require_case_write(actor, case, feed=feed)
    if court_case is not None:
        check_version(court_case, version)
    unknown = set(fields) - set(COURT_CASE_FIELDS)
    if unknown:
        raise ValidationError(f"Unknown court case fields: {', '.join(sorted(unknown))}.")
    fields = {k: v.strip() if isinstance(v, str) else v for k, v in fields.items()}
    with transaction.atomic():
        creating = court_case is None
        if creating:
            court_case = CourtCase(agency=case.agency, case=case)
        elif court_case.case_id != case.pk:
            raise ValidationError(gettext("That court case belongs to another case."))
        before = {name: getattr(court_case, name) for name in fields}
        for name, value in fields.items():
            setattr(court_case, name, value)
        court_case.full_clean()
        if creating:
            court_case.save()
        else:
            save_versioned(court_case, version=version, fields=fields)
        changed = sorted(k for k in fields if before[k] != fields[k])
        if creating:
            events.justice_line(
                actor, case, f"Court case {court_case.number} added ({court_case.court})"
            )
        audit_record(
            actor=actor,
            action=AuditAction.COURT_CASE_SAVE,
            obj=court_case,
            details={"case": case.pk, "created": creating, "changed": changed},
        )
    return court_case


def court_event_record(
    *,
    actor: Actor,
    court_case: CourtCase,
    kind: str,
    scheduled_at: datetime,
    courthouse: str = "",
    courtroom: str = "",
    external_id: str = "",
    source: str = "manual",
) -> CourtEvent:
    """A court date set: the event and, in the same transaction, its obligations (and the
    messages they queue). Refused as court_case_save is, and for an unknown kind."""
    case = court_case.case
    _require_case_write(actor, case, feed=source != "manual")
    now = timezone.now()
    with transaction.atomic():
        event = CourtEvent(
            agency=case.agency,
            court_case=court_case,
            case=case,
            kind=kind,
            scheduled_at=scheduled_at,
            courthouse=courthouse.strip(),
            courtroom=courtroom.strip(),
            external_id=external_id.strip(),
            source=source,
        )
        event.full_clean()
        event.save()
        events.court_event_recorded(actor, event)
        audit_record(
            actor=actor,
            action=AuditAction.COURT_EVENT_SAVE,
            obj=event,
            details={
                "case": case.pk,
                "kind": kind,
                "scheduled_at": scheduled_at.isoformat(),
                "source": source,
            },
        )
        _open_obligations(
            actor,
            case=case,
            court_case=court_case,
            trigger="court.scheduled",
            kind=kind,
            trigger_at=now,
            event_at=scheduled_at,
            court_event=event,
        )
    return event


def court_event_move(
    *,
    actor: Actor,
    event: CourtEvent,
    scheduled_at: datetime,
    courthouse: str | None = None,
    courtroom: str | None = None,
    feed: bool = False,
) -> CourtEvent:
    """The court moved the date (a continuance): the old date's open obligations no longer
    apply, the new date owes fresh ones (the victim is told of the change). Refused for a held
    or cancelled event and for the same time."""
    _require_case_write(actor, event.case, feed=feed)
    now = timezone.now()
    with transaction.atomic():
        event = CourtEvent.objects.select_for_update().get(pk=event.pk)
        if event.status not in ACTIVE:
            raise ValidationError(
                f"This {event.get_kind_display().lower()} is {event.get_status_display().lower()}:"
                " record a new court event instead."
            )
        if scheduled_at == event.scheduled_at:
            raise ValidationError(
                {"scheduled_at": gettext("That is the time it is already set for.")}
            )
        old = event.scheduled_at
        event.previous_scheduled_at = old
        event.scheduled_at = scheduled_at
        event.status = CourtEventStatus.CONTINUED
        event.sequence += 1
        fields = ["previous_scheduled_at", "scheduled_at", "status", "sequence", "updated_at"]
        if courthouse is not None:
            event.courthouse = courthouse.strip()
            fields.append("courthouse")
        if courtroom is not None:
            event.courtroom = courtroom.strip()
            fields.append("courtroom")
        event.full_clean()
        event.save(update_fields=fields)
        _close_open(actor, event, before_time=old, note="The court moved this date.")
        events.court_event_moved(actor, event)
        accompaniments_follow_court_event(
            actor=actor, court_event_id=event.pk, scheduled_at=scheduled_at, location=event.place
        )
        audit_record(
            actor=actor,
            action=AuditAction.COURT_EVENT_SAVE,
            obj=event,
            details={
                "case": event.case_id,
                "moved_from": old.isoformat(),
                "moved_to": scheduled_at.isoformat(),
            },
        )
        _open_obligations(
            actor,
            case=event.case,
            court_case=event.court_case,
            trigger="court.moved",
            kind=event.kind,
            trigger_at=now,
            event_at=scheduled_at,
            court_event=event,
        )
    return event


def court_event_cancel(
    *, actor: Actor, event: CourtEvent, reason: str = "", feed: bool = False
) -> CourtEvent:
    """The court struck the date: every open obligation of it is not applicable. Refused for
    an event already held or cancelled."""
    _require_case_write(actor, event.case, feed=feed)
    with transaction.atomic():
        event = CourtEvent.objects.select_for_update().get(pk=event.pk)
        if event.status not in ACTIVE:
            raise ValidationError(
                f"This court event is already {event.get_status_display().lower()}."
            )
        event.status = CourtEventStatus.CANCELLED
        event.sequence += 1
        event.outcome = reason.strip()[:1000]
        event.save(update_fields=["status", "outcome", "sequence", "updated_at"])
        closed = _close_open(actor, event, note="The court event was cancelled.")
        events.court_event_cancelled(actor, event)
        accompaniments_follow_court_event(actor=actor, court_event_id=event.pk, cancelled=True)
        audit_record(
            actor=actor,
            action=AuditAction.COURT_EVENT_SAVE,
            obj=event,
            details={"case": event.case_id, "cancelled": True, "obligations_closed": closed},
        )
    return event


def court_event_accompany(*, actor: Actor, event: CourtEvent):
    """Schedule a court accompaniment tied to the hearing (followup.services.followup_schedule
    with the event's id, time and place). Refused for a hearing held or cancelled, for one
    already accompanied, and as followup_schedule refuses (case.work, a closed case, a time
    passed)."""
    from_db = CourtEvent.objects.get(pk=event.pk)
    if from_db.status not in ACTIVE:
        raise ValidationError(f"This court event is {from_db.get_status_display().lower()}.")
    if pending_accompaniment(from_db.pk):
        raise ValidationError(gettext("This hearing already has a court accompaniment scheduled."))
    return followup_schedule(
        actor=actor,
        case=from_db.case,
        kind=FollowUpKind.COURT,
        due_at=from_db.scheduled_at,
        location=from_db.place or from_db.court_case.court,
        notes=f"{in_english(from_db.get_kind_display)} ({from_db.court_case.number})",
        court_event_id=from_db.pk,
    )


def court_event_outcome(
    *, actor: Actor, event: CourtEvent, outcome: str, feed: bool = False
) -> CourtEvent:
    """The hearing was held: what came of it, and the outcome notices it owes. Refused without
    an outcome, for a cancelled event, and for one already held."""
    _require_case_write(actor, event.case, feed=feed)
    outcome = outcome.strip()
    if not outcome:
        raise ValidationError({"outcome": gettext("Say what came of the hearing.")})
    now = timezone.now()
    with transaction.atomic():
        event = CourtEvent.objects.select_for_update().get(pk=event.pk)
        if event.status not in ACTIVE:
            raise ValidationError(
                f"This court event is already {event.get_status_display().lower()}."
            )
        event.status = CourtEventStatus.HELD
        event.sequence += 1
        event.outcome = outcome[:1000]
        event.full_clean()
        event.save(update_fields=["status", "outcome", "sequence", "updated_at"])
        events.court_event_held(actor, event)
        audit_record(
            actor=actor,
            action=AuditAction.COURT_EVENT_SAVE,
            obj=event,
            details={"case": event.case_id, "held": True},
        )
        _open_obligations(
            actor,
            case=event.case,
            court_case=event.court_case,
            trigger="court.held",
            kind=event.kind,
            trigger_at=now,
            event_at=event.scheduled_at,
            court_event=event,
        )
    return event


def custody_event_record(
    *,
    actor: Actor,
    case: Case,
    kind: str,
    occurred_at: datetime,
    court_case: CourtCase | None = None,
    conditions: str = "",
    facility: str = "",
    external_id: str = "",
    source: str = "manual",
) -> CustodyEvent:
    """Something happened to the accused's custody: the event and its obligations, due from
    when it happened. Refused as court_event_record is, and for a time in the future."""
    _require_case_write(actor, case, feed=source != "manual")
    if court_case is not None and court_case.case_id != case.pk:
        raise ValidationError({"court_case": gettext("That court case belongs to another case.")})
    if occurred_at > timezone.now() + timezone.timedelta(minutes=5):
        raise ValidationError(
            {"occurred_at": gettext("A custody event is recorded once it happened.")}
        )
    with transaction.atomic():
        event = CustodyEvent(
            agency=case.agency,
            case=case,
            court_case=court_case,
            kind=kind,
            occurred_at=occurred_at,
            conditions=conditions.strip(),
            facility=facility.strip(),
            external_id=external_id.strip(),
            source=source,
        )
        event.full_clean()
        event.save()
        events.custody_event_recorded(actor, event)
        audit_record(
            actor=actor,
            action=AuditAction.CUSTODY_EVENT_SAVE,
            obj=event,
            details={"case": case.pk, "kind": kind, "source": source},
        )
        _open_obligations(
            actor,
            case=case,
            court_case=court_case,
            trigger="custody",
            kind=kind,
            trigger_at=occurred_at,
            event_at=occurred_at,
            custody_event=event,
        )
    return event


# -- the victim's calendar ------------------------------------------------------------------


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
