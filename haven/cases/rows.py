"""The rows of a table of cases (My caseload, the outreach queue, the case list), worked out
in Python once per table rather than per row in the template (issue #21: these pages list up
to 200 cases, and the template engine's lookups, translations and date formats per row were
most of their time).

`listed_cases` reads only what a row shows, as plain values (`ListedCase`); `case_rows` gives
one `CaseRow` per case with every cell's words ready: the same words the template used to
write. It reads the cases' victimization codes in one query of plain values (a prefetch built
a queryset for each case).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from types import SimpleNamespace

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.dates import MONTHS_3, WEEKDAYS_ABBR
from django.utils.translation import gettext

from haven.agencies.models import Membership
from haven.cases.hooks import NextAction, case_page_url
from haven.cases.models import OPEN_STATUSES, Case, CaseVictimization, Priority
from haven.core.models import choice_label
from haven.core.templatetags.haven import STATUS_TAG, duration
from haven.people.models import Person

# What a row shows, and nothing else: the victim's middle name and birth date are not
# decrypted, the agency and district are not joined (the clock's goal is the actor's agency's).
LISTED_VALUES = (
    "pk",
    "number",
    "priority",
    "status",
    "received_at",
    "first_contact_at",
    "assigned_to_id",
    "primary_victim__first_name",
    "primary_victim__last_name",
    "primary_victim__preferred_name",
    "primary_victim__preferred_language",
)


@dataclass(slots=True)
class ListedCase:
    """A case as a table lists it: the values its row shows, no model instances (building a
    case, its victim, the specialist's membership and user for each of 200 rows was a third
    of the queue's time). `with_next_actions` fills in the last two."""

    pk: int
    number: str
    priority: str
    status: str
    received_at: datetime
    first_contact_at: datetime | None
    victim: str  # the name shown (Person.full_name)
    language: str  # the victim's preferred language, a code
    assigned_to_id: int | None
    assignee: str | None = None  # the specialist's name (Membership.display_name), if asked
    next_action: NextAction | None = None
    more_actions: int = 0

    @classmethod
    def of(cls, case: Case) -> ListedCase:
        """From a case with its victim and specialist loaded (the case list's page)."""
        victim = case.primary_victim
        return cls(
            pk=case.pk,
            number=case.number,
            priority=case.priority,
            status=case.status,
            received_at=case.received_at,
            first_contact_at=case.first_contact_at,
            victim=victim.full_name,
            language=victim.preferred_language,
            assigned_to_id=case.assigned_to_id,
            assignee=case.assigned_to.display_name if case.assigned_to_id else None,
        )


def listed_cases(cases: QuerySet[Case], *, limit: int | None = None, assignee: bool = True):
    """These cases (the first `limit` of them) as ListedCases, in one query of plain values,
    and with `assignee` the specialists' names in one more (a few distinct people)."""
    values = cases.values_list(*LISTED_VALUES)
    listed = []
    for row in values[:limit] if limit is not None else values:
        pk, number, priority, status, received, first_contact, assigned_to_id, *name, lang = row
        listed.append(
            ListedCase(
                pk,
                number,
                priority,
                status,
                received,
                first_contact,
                _full_name(*name),
                lang,
                assigned_to_id,
            )
        )
    if assignee:
        ids = {c.assigned_to_id for c in listed if c.assigned_to_id}
        people = Membership.objects.filter(pk__in=ids).select_related("user") if ids else ()
        names = {m.pk: m.display_name for m in people}
        for case in listed:
            case.assignee = names.get(case.assigned_to_id)
    return listed


def _full_name(first_name: str, last_name: str, preferred_name: str) -> str:
    """Person.full_name of these values, without building a Person."""
    names = SimpleNamespace(
        first_name=first_name, last_name=last_name, preferred_name=preferred_name
    )
    return Person.full_name.fget(names)


@dataclass(slots=True)
class NextCell:
    kind: str
    title: str
    url: str
    late: bool
    due: str  # "due Wed Dec 2, 3:00 PM" or "late since …"
    more: str  # "3 more", or "" when it is the only one


@dataclass(slots=True)
class CaseRow:
    url: str
    number: str
    high: bool
    victim: str
    language: str  # the victim's language when not English, else ""
    types: str
    status: str
    status_class: str
    received: str
    clock: str  # "after 3 h 20 min", "waiting 2 d 4 h — overdue", or "" for a closed case
    clock_class: str
    assignee: str | None
    next: NextCell | None


def case_rows(
    cases: Iterable[ListedCase], *, goal_hours: int, now: datetime | None = None
) -> list[CaseRow]:
    """One CaseRow per case; a case from `with_next_actions` also gets its next action."""
    words = _Words()
    now = now or timezone.now()
    goal = timedelta(hours=goal_hours)
    case_url = case_page_url()
    cases = list(cases)
    codes = _victimization_codes(cases)
    rows = []
    for case in cases:
        action = case.next_action
        clock, clock_class = _clock(case, goal, now, words)
        rows.append(
            CaseRow(
                url=case_url(case.pk),
                number=case.number,
                high=case.priority == Priority.HIGH,
                victim=case.victim,
                language="" if case.language == "en" else words.language(case.language),
                types="; ".join(words.code(code) for code in codes.get(case.pk, ())),
                status=words.status(case.status),
                status_class=STATUS_TAG.get(case.status, ""),
                received=words.date(case.received_at),
                clock=clock,
                clock_class=clock_class,
                assignee=case.assignee,
                next=_next_cell(action, case.more_actions, now, words) if action else None,
            )
        )
    return rows


def _victimization_codes(cases: list[ListedCase]) -> dict[int, list[str]]:
    """Each case's victimization codes, in code order. Read from the cases, joining their
    codes: asked of the codes, SQLite (without statistics) read every code of the agency
    through the agency's index, 9 ms on a 35,000-case agency."""
    if not cases:
        return {}
    found: dict[int, list[str]] = {}
    pairs = Case.objects.filter(pk__in=[c.pk for c in cases], victimizations__isnull=False)
    for case_id, code in pairs.values_list("pk", "victimizations__code").order_by(
        "victimizations__code"
    ):
        found.setdefault(case_id, []).append(code)
    return found


def _clock(case: ListedCase, goal: timedelta, now: datetime, words: _Words) -> tuple[str, str]:
    """The first-contact clock (core's `first_contact_clock`): how long the victim waited or
    has been waiting, and whether past the goal."""
    if case.first_contact_at:
        waited = case.first_contact_at - case.received_at
        late = waited > goal
        return words.after % {"waited": duration(waited)}, "haven-late" if late else "haven-ok"
    if case.status not in OPEN_STATUSES:
        return "", ""
    waited = now - case.received_at
    text = words.waiting % {"waited": duration(waited)}
    if waited > goal:
        return f"{text} — {words.overdue}", "haven-late"
    return text, ""


def _next_cell(action: NextAction, more: int, now: datetime, words: _Words) -> NextCell:
    late = action.due_at < now
    due = words.datetime(action.due_at)
    return NextCell(
        kind=action.kind,
        title=action.title,
        url=action.url,
        late=late,
        due=f"{words.late_since} {due}" if late else f"{words.due} {due}",
        more=words.more % {"more": more} if more else "",
    )


class _Words:
    """The table's words in the active language, looked up once per table (choice labels
    through `core.models.choice_label`, remembered per language). The dates
    are Django's `date` filter's "M j, g:i A" and "D M j, g:i A" in the current time zone,
    written here because `dateformat` builds a formatter and translates its words per call."""

    def __init__(self):
        self.after = gettext("after %(waited)s")
        self.waiting = gettext("waiting %(waited)s")
        self.overdue = gettext("overdue")
        self.late_since = gettext("late since")
        self.due = gettext("due")
        self.more = gettext("%(more)s more")
        self._months = {m: str(MONTHS_3[m]).title() for m in range(1, 13)}
        self._days = {d: str(WEEKDAYS_ABBR[d]) for d in range(7)}
        self._am, self._pm = gettext("AM"), gettext("PM")

    def code(self, value: str) -> str:
        return choice_label(CaseVictimization._meta.get_field("code"), value)

    def status(self, value: str) -> str:
        return choice_label(Case._meta.get_field("status"), value)

    def language(self, value: str) -> str:
        return choice_label(Person._meta.get_field("preferred_language"), value)

    def date(self, value: datetime) -> str:
        """ "M j, g:i A": "Dec 5, 3:07 PM"."""
        value = timezone.localtime(value)
        ampm = self._pm if value.hour > 11 else self._am
        time = f"{value.hour % 12 or 12}:{value.minute:02d} {ampm}"
        return f"{self._months[value.month]} {value.day}, {time}"

    def datetime(self, value: datetime) -> str:
        """ "D M j, g:i A": "Sat Dec 5, 3:07 PM"."""
        return f"{self._days[timezone.localtime(value).weekday()]} {self.date(value)}"
