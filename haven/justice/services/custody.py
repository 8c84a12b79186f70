"""Custody events: something happened to the accused's custody."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from haven.audit.models import AuditAction
from haven.cases.models import Case
from haven.core.actor import Actor
from haven.justice import events
from haven.justice.models import CourtCase, CustodyEvent
from haven.justice.services.obligations import _save_new_event
from haven.justice.services.permissions import _require_case_write


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
        _save_new_event(
            actor,
            event,
            line=events.custody_event_recorded,
            action=AuditAction.CUSTODY_EVENT_SAVE,
            details={"case": case.pk, "kind": kind, "source": source},
            trigger="custody",
            trigger_at=occurred_at,
        )
    return event
