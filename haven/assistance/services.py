"""Recording the services given on a case, and removing a mistaken entry. Each service checks
permission, guards the case, validates against the PMT reference, then in one transaction
saves, writes the timeline event and the audit event."""

from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import dateformat, timezone
from django.utils.translation import gettext

from haven.agencies.roles import Perm
from haven.assistance import catalog, events
from haven.assistance.models import ServiceProvided
from haven.audit.models import AuditAction
from haven.audit.services import audit_record
from haven.cases.models import Case
from haven.core.actor import Actor
from haven.funding.models import EmergencyRequest, FundingSource
from haven.funding.selectors import default_source
from haven.lib.languages import in_english
from haven.people.models import Person

# A clock a few minutes fast on a phone should not refuse a service logged "now".
CLOCK_SKEW = timedelta(minutes=5)
# How long before the case was received a service may be dated: the on-scene response or the
# hotline call that came before the case was opened, not an earlier episode.
BEFORE_RECEIVED = timedelta(days=1)
# How long the one who recorded an entry may remove it themselves.
REMOVAL_WINDOW = timedelta(days=1)
# The same service for the same person by the same member this close together is a double tap.
DOUBLE_TAP = timedelta(minutes=2)
NOTE_LIMIT = 500
NOT_ON_CASE = "That person is not on this case: choose the victim or someone the case serves."


def _when(actor: Actor, moment: datetime) -> str:
    return dateformat.format(timezone.localtime(moment, actor.agency.tz), "M j, Y g:i A")


def _check_codes(category: str, sub_service: str) -> dict[str, str]:
    errors = {}
    sub = catalog.sub_service(sub_service)
    if sub is None:
        known = ", ".join(s.code for c in catalog.categories() for s in c.sub_services)
        errors["sub_service"] = (
            f"Unknown service {sub_service!r}: choose one of the PMT services ({known})."
        )
    if category and catalog.category(category) is None:
        known = ", ".join(c.code for c in catalog.categories())
        errors["category"] = f"Unknown service category {category!r}: choose one of {known}."
    elif category and sub is not None and sub.category != category:
        errors["sub_service"] = (
            f"{sub.code} ({sub.label}) is in category {sub.category}, not {category}."
        )
    return errors


def _check_person(case: Case, person: Person) -> str:
    if person.pk == case.primary_victim_id:
        return ""
    link = case.related_people.filter(person=person).first()
    if link is None:
        return NOT_ON_CASE
    if not link.is_served:
        return (
            f"{person.full_name} is on this case but not served by it: choose the victim or "
            "someone the case serves."
        )
    return ""


def _check_time(actor: Actor, case: Case, provided_at: datetime) -> str:
    now = timezone.now()
    if provided_at > now + CLOCK_SKEW:
        return "That time is in the future: give the time the service was given."
    if provided_at < case.received_at - BEFORE_RECEIVED:
        return (
            f"That is more than a day before this case was received "
            f"({_when(actor, case.received_at)}): check the date, or record the service on the "
            "case it belongs to."
        )
    after_end = case.closed_at is None or provided_at > case.closed_at + CLOCK_SKEW
    if not case.is_open and after_end:
        ended = f" on {_when(actor, case.closed_at)}" if case.closed_at else ""
        return (
            f"This case ended{ended}: record only services given before then, or reopen the "
            "case to record later ones."
        )
    return ""


# long: PMT validation per person served, then one audited write
def service_provide(
    *,
    actor: Actor,
    case: Case,
    sub_service: str,
    category: str = "",
    person: Person | None = None,
    provided_at: datetime | None = None,
    duration_minutes: int | None = None,
    note: str = "",
    funding_source: FundingSource | None = None,
) -> ServiceProvided:
    """Record that a PMT service was given on the case, to the primary victim unless another
    person the case serves is named, now unless a time is given.

    Refused without case.work, for another agency's case, for an unknown code (or a
    sub-service outside the category given), for a person not served by the case, for a time
    in the future or more than a day before the case was received, and on an ended case for a
    time after it ended (services given while it was open can still be recorded). The same
    service for the same person by the same member twice within two minutes is taken for a
    double tap and refused. Tagged to `funding_source`, else to the agency's default source
    (none if it has none); a source of another agency is refused.
    """
    actor.require(Perm.CASE_WORK)
    actor.require_own(case)
    if funding_source is not None:
        actor.require_own(funding_source)
    funding_source = funding_source or default_source(case.agency)
    person = person or case.primary_victim
    provided_at = provided_at or timezone.now()
    note = note.strip()
    errors = _check_codes(category, sub_service)
    if person.agency_id != case.agency_id:
        errors["person"] = NOT_ON_CASE
    elif problem := _check_person(case, person):
        errors["person"] = problem
    if problem := _check_time(actor, case, provided_at):
        errors["provided_at"] = problem
    if duration_minutes is not None and not 0 <= duration_minutes <= 24 * 60:
        errors["duration_minutes"] = "Give the minutes spent, from 0 to 1440 (a day)."
    if len(note) > NOTE_LIMIT:
        errors["note"] = f"Keep the note to {NOTE_LIMIT} characters (it has {len(note)})."
    if errors:
        raise ValidationError(errors)
    sub = catalog.sub_service(sub_service)
    with transaction.atomic():
        if _double_tap(actor, case, person, sub.code, provided_at):
            raise ValidationError(
                {
                    "sub_service": f"{sub.label} was just recorded for {person.full_name}. "
                    "To record it a second time, give a different time."
                }
            )
        service = ServiceProvided.objects.create(
            agency=case.agency,
            case=case,
            person=person,
            category=sub.category,
            sub_service=sub.code,
            provided_at=provided_at,
            duration_minutes=duration_minutes,
            provided_by=actor.membership,
            note=note,
            funding_source=funding_source,
        )
        events.service_provided(actor, service)
        audit_record(
            actor=actor,
            action=AuditAction.SERVICE_PROVIDE,
            obj=service,
            details={"case": case.pk, "person": person.pk, "sub_service": sub.code},
        )
    return service


def _double_tap(actor: Actor, case: Case, person: Person, code: str, provided_at: datetime) -> bool:
    if actor.membership is None:
        return False
    return ServiceProvided.objects.filter(
        agency=case.agency,
        case=case,
        person=person,
        sub_service=code,
        provided_by=actor.membership,
        removed_at__isnull=True,
        created_at__gte=timezone.now() - DOUBLE_TAP,
        provided_at__gte=provided_at - DOUBLE_TAP,
        provided_at__lte=provided_at + DOUBLE_TAP,
    ).exists()


def may_remove(actor: Actor, service: ServiceProvided, *, now: datetime | None = None) -> bool:
    """Whether the actor may remove the entry: its recorder within a day of recording it, a
    supervisor or coordinator (case.assign) at any time."""
    if service.removed_at is not None or not actor.has(Perm.CASE_WORK):
        return False
    if actor.has(Perm.CASE_ASSIGN):
        return True
    own = actor.membership is not None and service.provided_by_id == actor.membership.pk
    return own and (now or timezone.now()) - service.created_at <= REMOVAL_WINDOW


def service_remove(*, actor: Actor, service: ServiceProvided, reason: str) -> ServiceProvided:
    """Remove an entry recorded by mistake (wrong case, wrong person, wrong service, twice).

    Entries are removed rather than corrected by a reversing entry: a reversing entry would
    make every report sum signed rows and show the mistake to the PMT forever, while a removal
    keeps the row (who removed it, when, why) for the access log and drops it from every count.
    The recorder may remove their own entry within a day, a supervisor or coordinator at any
    time; a reason is required and goes into the audit event. To change a detail, remove the
    entry and record it again.
    """
    actor.require(Perm.CASE_WORK)
    actor.require_own(service)
    if service.removed_at is not None:
        raise ValidationError(gettext("This entry was already removed."))
    if not may_remove(actor, service):
        raise PermissionDenied(
            "Only the one who recorded this service (within a day) or a supervisor can remove it."
        )
    reason = reason.strip()
    if not reason:
        raise ValidationError(
            {"reason": gettext("Say why the entry is removed (e.g. wrong case).")}
        )
    if len(reason) > 200:
        raise ValidationError({"reason": gettext("Keep the reason to 200 characters.")})
    with transaction.atomic():
        claimed = ServiceProvided.objects.filter(pk=service.pk, removed_at__isnull=True).update(
            removed_at=timezone.now(), removed_by=actor.membership, removal_reason=reason
        )
        if not claimed:
            raise ValidationError(gettext("This entry was already removed."))
        service.refresh_from_db(fields=["removed_at", "removed_by", "removal_reason"])
        events.service_removed(actor, service)
        audit_record(
            actor=actor,
            action=AuditAction.SERVICE_REMOVE,
            obj=service,
            reason=reason,
            details={"case": service.case_id, "sub_service": service.sub_service},
        )
    return service


EMERGENCY_ASSISTANCE = "C7"  # the PMT's emergency financial assistance


def service_for_disbursement(actor: Actor, request: EmergencyRequest) -> ServiceProvided:
    """Record a disbursed emergency assistance request as the PMT service C7, for the case's
    primary victim, given by the specialist who asked, at the time it was paid, tagged to the
    fund's funding source. Called by funding.emergency.request_disburse through
    funding/hooks.py, inside its transaction; the disbursement already checked permission."""
    sub = catalog.sub_service(EMERGENCY_ASSISTANCE)
    case = request.case
    service = ServiceProvided.objects.create(
        agency=case.agency,
        case=case,
        person_id=case.primary_victim_id,
        category=sub.category,
        sub_service=sub.code,
        provided_at=request.disbursed_at,
        provided_by=request.requested_by,
        note=f"Emergency financial assistance: {in_english(request.get_purpose_display)}.",
        funding_source=request.fund.source,
    )
    events.service_provided(actor, service)
    audit_record(
        actor=actor,
        action=AuditAction.SERVICE_PROVIDE,
        obj=service,
        details={"case": case.pk, "sub_service": sub.code, "emergency_request": request.pk},
    )
    return service
