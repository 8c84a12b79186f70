"""Each kind of record a schedule can cover: which are due, whether one may still go, which
filed quarters it was counted in, and how it is destroyed (docs/retention.md)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Model, Q

from haven.agencies.models import Agency
from haven.assistance.models import ServiceProvided
from haven.cases.models import Case, CasePerson, CaseStatus
from haven.crisis.models import AnonymousContact
from haven.followup.models import PMT_SERVICE, FollowUp, FollowUpOutcome
from haven.incidents.models import IncidentPerson
from haven.lib.quarters import Quarter
from haven.notices.models import Message, MessageStatus
from haven.people.models import Person
from haven.retention.graph import destroy
from haven.retention.hooks import purgers
from haven.retention.models import LegalHold, RecordKind

ENDED_CASE = {
    RecordKind.CLOSED_CASE: (CaseStatus.CLOSED,),
    RecordKind.DECLINED_CASE: (CaseStatus.DECLINED, CaseStatus.UNABLE_TO_CONTACT),
}
# A message still on its way is never due.
FINAL_MESSAGE = (
    MessageStatus.SENT,
    MessageStatus.DELIVERED,
    MessageStatus.FAILED,
    MessageStatus.CANCELLED,
)


def cutoff(today: date, years: int) -> date:
    """The last trigger date that is due on `today`: the same day `years` years earlier (29
    February falls to the 28th)."""
    try:
        return today.replace(year=today.year - years)
    except ValueError:
        return today.replace(year=today.year - years, day=28)


def _bound(agency: Agency, last_day: date) -> datetime:
    """The first instant after `last_day`, in the agency's zone."""
    return datetime.combine(last_day + timedelta(days=1), time.min, tzinfo=agency.tz)


def _day(agency: Agency, moment: datetime) -> date:
    return moment.astimezone(agency.tz).date()


@dataclass
class Due:
    object_id: int
    label: str
    trigger_date: date


@dataclass
class Destroyed:
    rows: Counter
    documents: list[tuple[str, str]]
    # (model label, id) of each case, person or other record destroyed by name: the access
    # log's events about them lose their typed words (services._redact_words).
    records: list[tuple[str, int]] = field(default_factory=list)


def held_people(agency: Agency) -> set[int]:
    return set(
        LegalHold.objects.filter(agency=agency, released_at__isnull=True, person__isnull=False)
        .values_list("person_id", flat=True)
        .order_by()
    )


def held_cases(agency: Agency) -> set[int]:
    """Cases under a hold of their own or of one of their people."""
    people = held_people(agency)
    direct = set(
        LegalHold.objects.filter(agency=agency, released_at__isnull=True, case__isnull=False)
        .values_list("case_id", flat=True)
        .order_by()
    )
    by_victim = set(
        Case.objects.filter(agency=agency, primary_victim_id__in=people).values_list(
            "pk", flat=True
        )
    )
    by_person = set(
        CasePerson.objects.filter(agency=agency, person_id__in=people).values_list(
            "case_id", flat=True
        )
    )
    return direct | by_victim | by_person


def _people_of(case: Case) -> list[Person]:
    others = Person.objects.filter(
        agency=case.agency_id,
        pk__in=CasePerson.objects.filter(case=case).values("person_id"),
    ).exclude(pk=case.primary_victim_id)
    return [case.primary_victim, *others]


def _has_case(person: Person) -> bool:
    return (
        Case.objects.filter(primary_victim=person).exists()
        or CasePerson.objects.filter(person=person).exists()
    )


def _run_purgers(**record) -> list[tuple[str, str]]:
    found = []
    for purger in purgers():
        found.extend((str(kind), str(digest)) for kind, digest in purger(**record))
    return found


def destroy_person(person: Person, rows: Counter) -> list[tuple[str, str]]:
    """A person with no case left: their documents, the police reports' lines that name them,
    then the person with aliases and contact points (and their blind indexes)."""
    documents = _run_purgers(person=person)
    destroy(list(IncidentPerson.objects.filter(person=person)), rows)
    destroy([person], rows)
    return documents


def _quarters_of_moments(agency: Agency, pairs) -> set[tuple[Quarter, int | None]]:
    found = set()
    for moment, source_id in pairs:
        quarter = Quarter.containing(_day(agency, moment))
        found.add((quarter, None))
        if source_id is not None:
            found.add((quarter, source_id))
    return found


class Kind:
    kind: RecordKind
    model: type[Model]

    def due(self, agency: Agency, last_day: date) -> list[Due]:
        raise NotImplementedError

    def get(self, agency: Agency, object_id: int) -> Model | None:
        return self.model._base_manager.filter(agency=agency, pk=object_id).first()

    def kept_because(self, agency: Agency, record: Model, last_day: date) -> str:
        """Why this record must stay now ("" when it may go)."""
        raise NotImplementedError

    def quarters(self, agency: Agency, record: Model) -> set[tuple[Quarter, int | None]]:
        """The (quarter, funding source) PMT reports that counted it."""
        return set()

    def destroy(self, agency: Agency, record: Model) -> Destroyed:
        rows = Counter()
        destroy([record], rows)
        return Destroyed(rows, [], [(record._meta.label_lower, record.pk)])


class EndedCases(Kind):
    model = Case

    def __init__(self, kind: RecordKind):
        self.kind = kind

    def due(self, agency, last_day):
        held = held_cases(agency)
        found = (
            Case.objects.filter(
                agency=agency,
                status__in=ENDED_CASE[self.kind],
                closed_at__lt=_bound(agency, last_day),
            )
            .exclude(pk__in=held)
            .order_by("closed_at", "pk")
            .values_list("pk", "number", "closed_at")
        )
        return [Due(pk, f"Case {number}", _day(agency, at)) for pk, number, at in found]

    def kept_because(self, agency, record, last_day):
        if record.status not in ENDED_CASE[self.kind]:
            return "Reopened since it was proposed."
        if record.closed_at is None or record.closed_at >= _bound(agency, last_day):
            return "No longer due (it closed again later)."
        if record.pk in held_cases(agency):
            return "Under a legal hold."
        return ""

    def quarters(self, agency, record):
        services = ServiceProvided.objects.filter(case=record, removed_at__isnull=True)
        pairs = list(services.values_list("provided_at", "funding_source_id").order_by())
        pairs += [
            (at, None)
            for at in FollowUp.objects.filter(
                case=record, kind__in=list(PMT_SERVICE), outcome=FollowUpOutcome.DONE
            ).values_list("due_at", flat=True)
        ]
        return _quarters_of_moments(agency, pairs)

    def destroy(self, agency, record):
        rows = Counter()
        people = _people_of(record)
        documents = _run_purgers(case=record)
        records = [(record._meta.label_lower, record.pk)]
        destroy([record], rows)
        for person in people:
            if not _has_case(person):
                records.append((person._meta.label_lower, person.pk))
                documents += destroy_person(person, rows)
        return Destroyed(rows, documents, records)


class UnservedPeople(Kind):
    kind = RecordKind.UNSERVED_PERSON
    model = Person

    def _unserved(self, agency):
        return Person.objects.filter(agency=agency).exclude(
            Q(pk__in=Case.objects.filter(agency=agency).values("primary_victim_id"))
            | Q(pk__in=CasePerson.objects.filter(agency=agency).values("person_id"))
        )

    def due(self, agency, last_day):
        found = (
            self._unserved(agency)
            .filter(created_at__lt=_bound(agency, last_day))
            .exclude(pk__in=held_people(agency))
            .order_by("created_at", "pk")
            .values_list("pk", "created_at")
        )
        return [Due(pk, f"Person {pk}", _day(agency, at)) for pk, at in found]

    def kept_because(self, agency, record, last_day):
        if _has_case(record):
            return "Has a case now."
        if record.pk in held_people(agency):
            return "Under a legal hold."
        return ""

    def destroy(self, agency, record):
        rows = Counter()
        documents = destroy_person(record, rows)
        return Destroyed(rows, documents, [(record._meta.label_lower, record.pk)])


class AnonymousContacts(Kind):
    kind = RecordKind.ANONYMOUS_CONTACT
    model = AnonymousContact

    def due(self, agency, last_day):
        found = (
            AnonymousContact.objects.filter(agency=agency, contact_date__lte=last_day)
            .order_by("contact_date", "pk")
            .values_list("pk", "contact_date")
        )
        return [Due(pk, f"Contact {pk}", day) for pk, day in found]

    def kept_because(self, agency, record, last_day):
        return "" if record.contact_date <= last_day else "No longer due."

    def quarters(self, agency, record):
        return {(Quarter.containing(record.contact_date), None)}


class Messages(Kind):
    kind = RecordKind.MESSAGE
    model = Message

    def due(self, agency, last_day):
        found = (
            Message.objects.filter(
                agency=agency, status__in=FINAL_MESSAGE, created_at__lt=_bound(agency, last_day)
            )
            .exclude(case_id__in=held_cases(agency))
            .exclude(person_id__in=held_people(agency))
            .order_by("created_at", "pk")
            .values_list("pk", "created_at")
        )
        return [Due(pk, f"Message {pk}", _day(agency, at)) for pk, at in found]

    def kept_because(self, agency, record, last_day):
        if record.case_id in held_cases(agency) or record.person_id in held_people(agency):
            return "Under a legal hold."
        return ""


KINDS: dict[str, Kind] = {
    RecordKind.CLOSED_CASE: EndedCases(RecordKind.CLOSED_CASE),
    RecordKind.DECLINED_CASE: EndedCases(RecordKind.DECLINED_CASE),
    RecordKind.UNSERVED_PERSON: UnservedPeople(),
    RecordKind.ANONYMOUS_CONTACT: AnonymousContacts(),
    RecordKind.MESSAGE: Messages(),
}
