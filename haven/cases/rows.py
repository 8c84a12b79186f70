"""The rows of a table of cases (My caseload, the outreach queue, the case list), worked out
in Python once per table rather than per row in the template (issue #21: these pages list up
to 200 cases, and the template engine's lookups, translations and date formats per row were
most of their time).

`with_row_fields` selects only what a row shows; `case_rows` gives one `CaseRow` per case with
every cell's words ready: the same words the template used to write. It reads the cases'
victimization codes in one query of plain values (a prefetch built a queryset for each case).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.dates import MONTHS_3, WEEKDAYS_ABBR
from django.utils.translation import gettext

from haven.cases.hooks import NextAction, case_page_url
from haven.cases.models import OPEN_STATUSES, Case, CaseStatus, CaseVictimization, Priority
from haven.core.templatetags.haven import STATUS_TAG, duration
from haven.people.models import Person

# What a row shows, and nothing else: the victim's middle name and birth date are not
# decrypted, the agency and district are not joined (the clock's goal is the actor's agency's).
ROW_FIELDS = (
    "number",
    "priority",
    "status",
    "received_at",
    "first_contact_at",
    "agency_id",
    "assigned_to__user__first_name",
    "assigned_to__user__last_name",
    "assigned_to__user__username",
    "primary_victim__first_name",
    "primary_victim__last_name",
    "primary_victim__preferred_name",
    "primary_victim__preferred_language",
)


def with_row_fields(cases: QuerySet[Case], *, assignee: bool = True) -> QuerySet[Case]:
    """These cases with only the columns a row shows (`assignee=False`: not the specialist's
    name either)."""
    fields = ROW_FIELDS if assignee else [f for f in ROW_FIELDS if not f.startswith("assigned")]
    fields = [*fields, "assigned_to"]  # its id: the access checks and audit may ask
    related = ["primary_victim", "assigned_to__user"] if assignee else ["primary_victim"]
    return cases.select_related(None).select_related(*related).only(*fields)


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
    cases: Iterable[Case], *, goal_hours: int, assignee: bool, now: datetime | None = None
) -> list[CaseRow]:
    """One CaseRow per case (with `assignee`, the specialist's name: a case from
    `with_row_fields(…, assignee=False)` does not have it). A case from `with_next_actions`
    also gets its next action."""
    words = _Words()
    now = now or timezone.now()
    goal = timedelta(hours=goal_hours)
    case_url = case_page_url()
    cases = list(cases)
    codes = _victimization_codes(cases)
    rows = []
    for case in cases:
        victim = case.primary_victim
        action = getattr(case, "next_action", None)
        clock, clock_class = _clock(case, goal, now, words)
        rows.append(
            CaseRow(
                url=case_url(case.pk),
                number=case.number,
                high=case.priority == Priority.HIGH,
                victim=victim.full_name,
                language=""
                if victim.preferred_language == "en"
                else words.language(victim.preferred_language),
                types="; ".join(words.code(code) for code in codes.get(case.pk, ())),
                status=words.status(case.status),
                status_class=STATUS_TAG.get(case.status, ""),
                received=words.date(case.received_at),
                clock=clock,
                clock_class=clock_class,
                assignee=_assignee(case) if assignee else None,
                next=_next_cell(action, case.more_actions, now, words) if action else None,
            )
        )
    return rows


def _victimization_codes(cases: list[Case]) -> dict[int, list[str]]:
    """Each case's victimization codes, in code order."""
    if not cases:
        return {}
    found: dict[int, list[str]] = {}
    pairs = CaseVictimization.objects.filter(case__in=[c.pk for c in cases]).order_by("code")
    for case_id, code in pairs.values_list("case_id", "code"):
        found.setdefault(case_id, []).append(code)
    return found


def _assignee(case: Case) -> str | None:
    return case.assigned_to.display_name if case.assigned_to_id else None


def _clock(case: Case, goal: timedelta, now: datetime, words: _Words) -> tuple[str, str]:
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
    """The table's words in the active language, each looked up once per table. The dates
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
        self._cache: dict[tuple[str, str], str] = {}
        self._labels = {
            "code": CaseVictimization._meta.get_field("code").flatchoices,
            "status": CaseStatus.choices,
            "language": Person._meta.get_field("preferred_language").flatchoices,
        }

    def _label(self, kind: str, value: str) -> str:
        key = (kind, value)
        if key not in self._cache:
            self._cache[key] = str(dict(self._labels[kind]).get(value, value))
        return self._cache[key]

    def code(self, value: str) -> str:
        return self._label("code", value)

    def status(self, value: str) -> str:
        return self._label("status", value)

    def language(self, value: str) -> str:
        return self._label("language", value)

    def date(self, value: datetime) -> str:
        """ "M j, g:i A": "Dec 5, 3:07 PM"."""
        value = timezone.localtime(value)
        ampm = self._pm if value.hour > 11 else self._am
        time = f"{value.hour % 12 or 12}:{value.minute:02d} {ampm}"
        return f"{self._months[value.month]} {value.day}, {time}"

    def datetime(self, value: datetime) -> str:
        """ "D M j, g:i A": "Sat Dec 5, 3:07 PM"."""
        return f"{self._days[timezone.localtime(value).weekday()]} {self.date(value)}"
