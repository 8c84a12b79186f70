"""Reaching justice records: always through a case the actor may read (cases.access), so a
missing record, another agency's and one outside the caseload are the same 404. Officers,
analysts and auditors hold no case.view and never reach a court case or an obligation."""

from django.http import Http404

from haven.agencies.roles import Perm
from haven.audit.models import AuditAction
from haven.audit.services import audit_record
from haven.cases.models import Case
from haven.cases.selectors import cases_visible_to
from haven.core.actor import Actor
from haven.justice.models import CalendarFeed, CourtCase, CourtEvent, RightsObligation
from haven.justice.services import victims_of


def _case(actor: Actor, case_id, *, write: bool) -> Case:
    try:
        case = (
            cases_visible_to(actor)
            .select_related("agency", "primary_victim", "assigned_to__user")
            .get(pk=int(case_id))
        )
    except (Case.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404("No such case.") from None
    if write:
        actor.require(Perm.CASE_WORK)
    return case


def access_justice_case(actor: Actor, case_id, *, write: bool = False) -> Case:
    """The case whose justice timeline is asked for; 404 unless visible; 403 to write
    without case.work."""
    return _case(actor, case_id, write=write)


def access_court_case(actor: Actor, court_case_id, *, write: bool = False) -> CourtCase:
    try:
        court_case = CourtCase.objects.select_related("case").get(
            pk=int(court_case_id), agency=actor.agency
        )
    except (CourtCase.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404("No such court case.") from None
    court_case.case = _case(actor, court_case.case_id, write=write)
    return court_case


def access_court_event(actor: Actor, event_id, *, write: bool = False) -> CourtEvent:
    try:
        event = CourtEvent.objects.select_related("court_case").get(
            pk=int(event_id), agency=actor.agency
        )
    except (CourtEvent.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404("No such court event.") from None
    event.case = _case(actor, event.case_id, write=write)
    return event


def access_obligation(actor: Actor, obligation_id, *, write: bool = False) -> RightsObligation:
    try:
        obligation = RightsObligation.objects.select_related("person").get(
            pk=int(obligation_id), agency=actor.agency
        )
    except (RightsObligation.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404("No such obligation.") from None
    obligation.case = _case(actor, obligation.case_id, write=write)
    return obligation


def access_victim_on_case(
    actor: Actor, case_id, person_id, *, write: bool = False, audit: bool = True
):
    """(case, person) for a victim the case serves; 404 otherwise. A read is audited here
    (audit=False when the caller audits the read itself, like the .ics download)."""
    case = _case(actor, case_id, write=write)
    try:
        person_id = int(person_id)
    except (ValueError, TypeError, OverflowError):
        raise Http404("No such person on this case.") from None
    person = next((p for p in victims_of(case) if p.pk == person_id), None)
    if person is None:
        raise Http404("No such person on this case.")
    if not write and audit:
        audit_record(
            actor=actor,
            action=AuditAction.CALENDAR_VIEW,
            object_type="people.person",
            object_id=person.pk,
            details={"case": case.pk},
        )
    return case, person


def access_feed(actor: Actor, case_id, feed_id) -> tuple[Case, CalendarFeed]:
    case = _case(actor, case_id, write=True)
    people = {p.pk for p in victims_of(case)}
    feed = CalendarFeed.objects.filter(
        pk=feed_id, agency=actor.agency, person_id__in=people
    ).first()
    if feed is None:
        raise Http404("No such calendar link.")
    return case, feed
