"""A case that says what is next, and a closing that says what is still open (issue 18).

Each row of My caseload shows its soonest next action: the case's own open tasks (here) and
what apps above cases add through `hooks.register_next_actions` (follow-ups, protocol steps,
court dates, rights owed), each provider one query for the whole caseload.

Closing a case first lists what is still open (`hooks.open_items`: its tasks here, protocol
steps, rights owed, court dates ahead and referrals waiting from the apps above) and asks, for
each, to resolve it now (where it can be: a task marked done, a step skipped) or to carry it
past the closing with a note. `case_close_checked` refuses a closing that leaves one
unanswered, records the carried items in one privileged note, then closes the case, all in
one transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext

from haven.agencies.roles import Perm
from haven.cases import hooks
from haven.cases.hooks import NextAction, OpenItem
from haven.cases.models import Case, CaseStatus, Task
from haven.cases.services import case_change_status, note_add, task_complete
from haven.core.actor import Actor

RESOLVE = "resolve"
CARRY = "carry"


def task_next_actions(cases: Sequence[Case]) -> Iterable[NextAction]:
    """The open tasks of these cases, in one query. It reads from the cases and joins their
    tasks: asked of the tasks, SQLite (without statistics) read every task of the agency
    through the agency's index, 11 ms on a 35,000-case agency (issue #21)."""
    with_open_tasks = Case.objects.filter(
        pk__in=[c.pk for c in cases], tasks__isnull=False, tasks__completed_at__isnull=True
    )  # tasks__isnull=False: an inner join, not a row of NULLs for a case without tasks
    case_url = hooks.case_page_url()
    rows = with_open_tasks.values_list("pk", "tasks__title", "tasks__due_at")
    for case_id, title, due_at in rows:
        yield NextAction(case_id, "Task", title, due_at, case_url(case_id) + "#activity")


def task_open_items(case: Case) -> Iterable[OpenItem]:
    for task in case.tasks.filter(completed_at__isnull=True).order_by("due_at", "id"):

        def resolve(actor: Actor, note: str, task: Task = task) -> None:
            task_complete(actor=actor, task=task)

        yield OpenItem(
            key=f"task:{task.pk}",
            kind="Task",
            title=task.title,
            when=task.due_at,
            resolve=resolve,
            resolve_label="Mark it done",
            carries_itself=True,
        )


def with_next_actions(cases: list[Case]) -> list[Case]:
    """Give each case `next_action` (its soonest, or None) and `more_actions` (how many else)."""
    found = hooks.next_actions(cases)
    for case in cases:
        actions = found.get(case.pk, [])
        case.next_action = actions[0] if actions else None
        case.more_actions = max(len(actions) - 1, 0)
    return cases


@dataclass(frozen=True)
class Decision:
    choice: str  # RESOLVE or CARRY
    note: str = ""


def case_close_checked(
    *,
    actor: Actor,
    case: Case,
    close_reason: str,
    reason: str,
    decisions: dict[str, Decision],
) -> Case:
    """Close the case once every open item is resolved or carried.

    Refused (nothing written) when an item has no answer, when "resolve" is asked of an item
    that can only be resolved on its own page, or when an item carried needs a note and has
    none; each message names the item. Carried items are listed in one privileged case note.
    """
    actor.require(Perm.CASE_WORK)
    actor.require_own(case)
    if case.status not in (CaseStatus.NEW, CaseStatus.ACTIVE):
        raise ValidationError(gettext("Only an open case can be closed."))
    items = hooks.open_items(case)
    _check_decisions(items, decisions)
    with transaction.atomic():
        carried = []
        for item in items:
            decision = decisions[item.key]
            if decision.choice == RESOLVE:
                item.resolve(actor, decision.note)
            else:
                line = f"- {item.kind}: {item.title}"
                carried.append(f"{line}: {decision.note}" if decision.note else line)
        if carried:
            note_add(
                actor=actor,
                case=case,
                body="Carried past the closing:\n" + "\n".join(carried),
            )
        return case_change_status(
            actor=actor,
            case=case,
            status=CaseStatus.CLOSED,
            reason=reason,
            close_reason=close_reason,
        )


def _check_decisions(items: list[OpenItem], decisions: dict[str, Decision]) -> None:
    errors = []
    for item in items:
        decision = decisions.get(item.key)
        name = f"{item.kind} “{item.title}”"
        if decision is None or decision.choice not in (RESOLVE, CARRY):
            errors.append(f"{name}: choose to resolve it or carry it.")
        elif decision.choice == RESOLVE and item.resolve is None:
            errors.append(f"{name}: resolve it on its own page, or carry it with a note.")
        elif decision.choice == CARRY and not item.carries_itself and not decision.note.strip():
            errors.append(f"{name}: say in a note why it is carried and who follows it up.")
    if errors:
        raise ValidationError(errors)
