"""Who has opened a record: the reads in the access log about some cases and people.

The log sits below the apps whose records it names, so it knows them only by the ids the
caller gives (cases, people) and by what apps above register: `register_read_objects` lets
an app add its own records about those cases and people (a partner referral, a letter), so
their reads are found too. Read-only: nothing here writes to the log.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q

from haven.audit.models import AuditAction, AuditEvent

# What kind of read each action is, in the words the panel and the report use. A write is not
# listed: the person who changed a record had it open, and that open is a read listed here.
PAGE, EXPORT, DOWNLOAD, PRINT = "page", "export", "download", "print"
READ_ACTIONS: dict[str, str] = {
    AuditAction.CASE_VIEW: PAGE,
    AuditAction.PERSON_VIEW: PAGE,
    AuditAction.SERVED_STATUS_VIEW: PAGE,
    AuditAction.SAFETY_PLAN_VIEW: PAGE,
    AuditAction.LETHALITY_VIEW: PAGE,
    AuditAction.COMPENSATION_VIEW: PAGE,
    AuditAction.RESTITUTION_VIEW: PAGE,
    AuditAction.CALENDAR_VIEW: PAGE,
    AuditAction.CALLOUT_VIEW: PAGE,
    AuditAction.PARTNER_REFERRAL_VIEW: PAGE,
    AuditAction.READS_VIEW: PAGE,
    AuditAction.CASE_EXPORT: EXPORT,
    AuditAction.COMPENSATION_PACKET: DOWNLOAD,
    AuditAction.NOTICE_LETTER: DOWNLOAD,
    AuditAction.EMERGENCY_RECEIPT: DOWNLOAD,  # before receipts were documents (funding 0004)
    # A document's page and its download (an emergency-assistance receipt is one): found by
    # the case and person in their details.
    AuditAction.DOCUMENT_VIEW: PAGE,
    AuditAction.DOCUMENT_DOWNLOAD: DOWNLOAD,
    AuditAction.READS_REPORT: DOWNLOAD,
    AuditAction.SAFETY_PLAN_PRINT: PRINT,
    AuditAction.CONSENT_FORM: PRINT,
}

# Kept to reads only: an emergency receipt's event is also written when one is attached.
_NOT_A_READ = {AuditAction.EMERGENCY_RECEIPT: lambda details: not details.get("opened")}

ObjectRef = tuple[str, str]  # (object_type, object_id) as the log stores them
ReadObjectsProvider = Callable[[int, list[int], list[int]], Iterable[ObjectRef]]
_providers: dict[str, ReadObjectsProvider] = {}


def register_read_objects(name: str, provider: ReadObjectsProvider) -> None:
    """An app above adds its records about some cases and people:
    `provider(agency_id, case_ids, person_ids)` yields (object_type, object_id) pairs.
    Registering a name again replaces it."""
    _providers[name] = provider


@dataclass(frozen=True)
class ReadScope:
    """Whose reads: one agency's, of these cases and people. `only_person`, when set, leaves
    out reads that name another person (a relative's safety plan on the same case)."""

    agency_id: int
    case_ids: tuple[int, ...] = ()
    person_ids: tuple[int, ...] = ()
    only_person: int | None = None


def _objects(scope: ReadScope) -> set[ObjectRef]:
    found: set[ObjectRef] = set()
    for provider in _providers.values():
        for object_type, object_id in provider(
            scope.agency_id, list(scope.case_ids), list(scope.person_ids)
        ):
            found.add((object_type, str(object_id)))
    return found


def reads_of(
    scope: ReadScope, *, since: datetime | None = None, until: datetime | None = None
) -> list[AuditEvent]:
    """Every read of the scope's records in [since, until), newest first.

    Found by the record an event names (a case, a person, or an object an app registered) or
    by the case or person in its details; an export counts when the scope's cases were in it.
    """
    cases = [str(i) for i in scope.case_ids]
    people = [str(i) for i in scope.person_ids]
    match = Q(object_type="cases.case", object_id__in=cases) | Q(
        object_type="people.person", object_id__in=people
    )
    if scope.case_ids:
        match |= Q(details__case__in=list(scope.case_ids))
    if scope.person_ids:
        match |= Q(details__person__in=list(scope.person_ids))
    by_type: dict[str, list[str]] = {}
    for object_type, object_id in _objects(scope):
        by_type.setdefault(object_type, []).append(object_id)
    for object_type, ids in by_type.items():
        match |= Q(object_type=object_type, object_id__in=ids)
    window = Q(agency_id=scope.agency_id)
    if since is not None:
        window &= Q(at__gte=since)
    if until is not None:
        window &= Q(at__lt=until)
    reads = AuditEvent.objects.filter(window, match, action__in=list(READ_ACTIONS))
    events = list(reads.exclude(action=AuditAction.CASE_EXPORT))
    # An export names its cases in a JSON list, which neither database can search the same
    # way: exports are few, so read the window's exports and keep those that held ours.
    if scope.case_ids:
        wanted = set(scope.case_ids)
        exports = AuditEvent.objects.filter(window, action=AuditAction.CASE_EXPORT)
        events += [e for e in exports if wanted & set(e.details.get("ids") or ())]
    events = [e for e in events if _is_read(e) and _about(e, scope.only_person)]
    events.sort(key=lambda e: (e.at, e.pk), reverse=True)
    return events


def _is_read(event: AuditEvent) -> bool:
    not_a_read = _NOT_A_READ.get(event.action)
    return not (not_a_read and not_a_read(event.details or {}))


def _about(event: AuditEvent, person_id: int | None) -> bool:
    if person_id is None:
        return True
    named = (event.details or {}).get("person")
    if named is not None and named != person_id:
        return False
    return not (event.object_type == "people.person" and event.object_id != str(person_id))
