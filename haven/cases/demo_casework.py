"""Demo casework on each case: outreach attempts that fit the victim's safe-contact rules, the
first completed contact (first_contact_at as cases.services.contact_log keeps it), follow-ups,
notes, tasks and the ending (closed, declined, unable to contact)."""

from __future__ import annotations

from datetime import datetime, timedelta

from haven.cases.demo import INBOUND_SOURCES, CaseDraft, assignment_row, event_row
from haven.cases.demo_texts import (
    ATTEMPT_SUMMARIES,
    CLOSE_REASONS,
    DECLINED,
    DONE_TASKS,
    FAMILY_CONTACTS,
    FIRST_CONTACT_REASON,
    FIRST_CONTACTS,
    FIRST_INBOUND,
    FOLLOW_UPS,
    HIGH_DANGER_NOTE,
    INBOUND_FOLLOW_UPS,
    INTERPRETER_NOTE,
    NEW_CASE_NOTES,
    NO_NUMBER_NOTE,
    NOTES,
    OPEN_TASKS,
    REASSIGN_REASONS,
)
from haven.cases.models import (
    AttemptResult,
    CaseEventKind,
    CaseSource,
    CaseStatus,
    Contact,
    ContactChannel,
    ContactDirection,
    ContactOutcome,
    Note,
    NoteVisibility,
    Relation,
    Task,
)
from haven.core.demo import DemoContext, Rows
from haven.lib.bulkrows import new_row, pk_or_none
from haven.people.models import Person


def contact_log_rows(ctx: DemoContext, rows: Rows, draft: CaseDraft) -> None:
    """Attempts, the first completed contact, follow-ups, and when the case ends; then
    first_contact_at from the log, as cases.services.contact_log keeps it."""
    rng = ctx.rng
    status = draft.plan.status
    if status == CaseStatus.NEW:
        if draft.holders:
            for t in ctx.spread(draft.holders[0][0], ctx.latest, rng.choice((0, 0, 1, 2))):
                attempt_row(ctx, draft, t)
    elif status == CaseStatus.UNABLE_TO_CONTACT:
        start = draft.holders[0][0]
        span = min(ctx.latest, start + timedelta(days=rng.uniform(5, 21)))
        times = ctx.spread(start, span, rng.randint(3, 5))
        for n, t in enumerate(times):
            attempt_row(ctx, draft, t, letter=n == len(times) - 1 and rng.random() < 0.6)
        draft.ended_at = ctx.after(times[-1] if times else start, 60 * 24, 60 * 24 * 5)
    else:
        first_at = first_contact_row(ctx, draft)
        if status == CaseStatus.DECLINED:
            draft.ended_at = ctx.after(first_at, 10, 60 * 24 * 3)
        else:
            if status == CaseStatus.CLOSED:
                room = (ctx.latest - first_at) * rng.uniform(0.2, 0.95)
                draft.ended_at = first_at + min(room, timedelta(days=150))
            follow_up_rows(ctx, rows, draft, first_at, draft.ended_at or ctx.latest)
    draft.worked_until = draft.ended_at or ctx.latest

    contacts = sorted(draft.contacts, key=lambda contact: contact.occurred_at)
    draft.contacts = contacts
    rows.contacts.extend(contacts)
    for contact in contacts:
        event_row(
            ctx,
            rows,
            draft.case,
            CaseEventKind.CONTACT_LOGGED,
            contact.occurred_at,
            contact.logged_by_id,
            contact=contact,
        )
    reached = draft.victim_reached
    first = draft.case.first_contact_at = min(reached) if reached else None
    if first is not None:
        # What contact_log does on the first completed contact with the victim.
        draft.case.status_reason = FIRST_CONTACT_REASON
        event_row(
            ctx,
            rows,
            draft.case,
            CaseEventKind.STATUS_CHANGED,
            first,
            pk_or_none(draft.holder_at(first)),
            data={
                "from": str(CaseStatus.NEW.label),
                "to": str(CaseStatus.ACTIVE.label),
                "reason": FIRST_CONTACT_REASON,
            },
        )


def first_contact_row(ctx: DemoContext, draft: CaseDraft) -> datetime:
    """The first completed contact: the call or visit itself when the victim reached
    us, else an outreach call after a few attempts, mostly within a day or two."""
    rng = ctx.rng
    plan = draft.plan
    if plan.source in INBOUND_SOURCES:
        first_at = ctx.after(plan.received_at, 0, 10)
        channel = (
            ContactChannel.IN_PERSON if plan.source == CaseSource.WALK_IN else ContactChannel.PHONE
        )
        contact_row(
            ctx,
            draft,
            first_at,
            ContactOutcome.COMPLETED,
            channel,
            ContactDirection.INBOUND,
            FIRST_INBOUND[plan.source],
            minutes=rng.randint(15, 60),
        )
        return first_at
    start = draft.holders[0][0]
    bucket = rng.random()
    if bucket < 0.55:
        hours = rng.uniform(1, 23)
    elif bucket < 0.85:
        hours = rng.uniform(24, 72)
    else:
        hours = rng.uniform(72, 240)
    first_at = max(start + timedelta(minutes=5), plan.received_at + timedelta(hours=hours))
    first_at = min(ctx.office_time(first_at, limit=ctx.latest), ctx.latest)
    attempts = rng.choices((0, 1, 2, 3), cum_weights=(40, 70, 90, 100))[0]
    for t in ctx.spread(start, first_at, attempts):
        if t < first_at:
            attempt_row(ctx, draft, t)
    channel = ContactChannel.IN_PERSON if rng.random() < 0.1 else ContactChannel.PHONE
    summary = DECLINED if plan.status == CaseStatus.DECLINED else rng.choice(FIRST_CONTACTS)
    contact_row(
        ctx,
        draft,
        first_at,
        ContactOutcome.COMPLETED,
        channel,
        ContactDirection.OUTBOUND,
        summary,
        minutes=rng.randint(10, 45),
    )
    return first_at


# long: one draw sequence per follow-up from the seeded Random; the order is the demo's determinism
def follow_up_rows(
    ctx: DemoContext, rows: Rows, draft: CaseDraft, first_at: datetime, until: datetime
) -> None:
    rng = ctx.rng
    span_days = (until - first_at).total_seconds() / 86400
    count = min(10, int(span_days / rng.uniform(8, 25)))
    times = ctx.spread(first_at + timedelta(hours=2), until, count)
    if len(times) > 2 and rng.random() < 0.07:
        # Handed to another advocate half-way through.
        handover = times[len(times) // 2] - timedelta(hours=1)
        current = draft.holders[-1][1]
        others = [a for a in ctx.advocates if a != current]
        if others and handover > draft.holders[-1][0]:
            assignment_row(
                ctx,
                rows,
                draft,
                rng.choice(others),
                handover,
                ctx.supervisor,
                rng.choice(REASSIGN_REASONS),
            )
    family = [person for person, relation, _ in draft.related if relation == Relation.FAMILY]
    phone = draft.phone
    for t in times:
        if family and rng.random() < 0.3:
            contact_row(
                ctx,
                draft,
                t,
                ContactOutcome.COMPLETED,
                ContactChannel.PHONE,
                ContactDirection.OUTBOUND,
                rng.choice(FAMILY_CONTACTS),
                person=rng.choice(family),
                minutes=rng.randint(10, 40),
            )
        elif rng.random() < 0.2:
            result = (
                AttemptResult.VOICEMAIL_LEFT
                if phone is not None and phone.ok_voicemail
                else AttemptResult.NO_ANSWER
            )
            contact_row(
                ctx,
                draft,
                t,
                ContactOutcome.ATTEMPTED,
                ContactChannel.PHONE,
                ContactDirection.OUTBOUND,
                "",
                result,
            )
        elif rng.random() < 0.3:
            channel = (
                ContactChannel.TEXT if phone is not None and phone.ok_text else ContactChannel.PHONE
            )
            contact_row(
                ctx,
                draft,
                t,
                ContactOutcome.COMPLETED,
                channel,
                ContactDirection.INBOUND,
                rng.choice(INBOUND_FOLLOW_UPS),
                minutes=rng.randint(5, 30),
            )
        else:
            channel = rng.choices(
                (ContactChannel.PHONE, ContactChannel.IN_PERSON, ContactChannel.VIDEO),
                cum_weights=(75, 95, 100),
            )[0]
            minutes = (
                rng.randint(30, 180) if channel == ContactChannel.IN_PERSON else rng.randint(5, 45)
            )
            contact_row(
                ctx,
                draft,
                t,
                ContactOutcome.COMPLETED,
                channel,
                ContactDirection.OUTBOUND,
                rng.choice(FOLLOW_UPS),
                minutes=minutes,
            )


def attempt_row(ctx: DemoContext, draft: CaseDraft, t: datetime, *, letter: bool = False) -> None:
    """An outreach attempt that fits the victim's safe-contact rules: a voicemail only
    where voicemails are OK, a text only where texts are."""
    rng = ctx.rng
    phone = draft.phone
    channel = ContactChannel.PHONE
    if letter:
        channel, result = ContactChannel.LETTER, AttemptResult.MESSAGE_SENT
        summary = "Mailed an outreach letter with the resource guide."
    elif phone is None:
        result = AttemptResult.DISCONNECTED
        summary = rng.choice(ATTEMPT_SUMMARIES[result])
    elif phone.ok_text and rng.random() < 0.3:
        channel, result = ContactChannel.TEXT, AttemptResult.MESSAGE_SENT
        summary = rng.choice(ATTEMPT_SUMMARIES[result])
    else:
        result = rng.choices(
            (
                AttemptResult.NO_ANSWER,
                AttemptResult.BUSY,
                AttemptResult.WRONG_NUMBER,
                AttemptResult.UNSAFE,
            ),
            cum_weights=(80, 86, 94, 100),
        )[0]
        if result == AttemptResult.NO_ANSWER and phone.ok_voicemail:
            result = AttemptResult.VOICEMAIL_LEFT
        summary = rng.choice(ATTEMPT_SUMMARIES[result])
    contact_row(
        ctx, draft, t, ContactOutcome.ATTEMPTED, channel, ContactDirection.OUTBOUND, summary, result
    )


def contact_row(
    ctx: DemoContext,
    draft: CaseDraft,
    t: datetime,
    outcome: str,
    channel: str,
    direction: str,
    summary: str,
    result: str = "",
    *,
    person: Person | None = None,
    minutes: int | None = None,
) -> None:
    if person is None and outcome == ContactOutcome.COMPLETED:
        draft.victim_reached.append(t)
    draft.contacts.append(
        new_row(
            Contact,
            agency_id=ctx.agency.pk,
            case=draft.case,
            person=person,
            outcome=outcome,
            attempt_result=result,
            channel=channel,
            direction=direction,
            occurred_at=t,
            duration_minutes=minutes,
            summary=summary,
            logged_by_id=pk_or_none(draft.holder_at(t)),
            created_at=ctx.after(t, 1, 60),
        )
    )


def notes_rows(ctx: DemoContext, rows: Rows, draft: CaseDraft) -> None:
    rng = ctx.rng
    case, contacts = draft.case, draft.contacts
    bodies: list[tuple[datetime, str]] = []
    if draft.high:
        bodies.append((ctx.after(case.created_at, 5, 120), HIGH_DANGER_NOTE))
    completed = [c for c in contacts if c.outcome == ContactOutcome.COMPLETED]
    if draft.victim.interpreter_needed and completed:
        bodies.append((ctx.after(completed[0].occurred_at, 5, 30), INTERPRETER_NOTE))
    if case.status == CaseStatus.NEW:
        if rng.random() < 0.3:
            bodies.append((ctx.after(case.created_at, 10, 300), rng.choice(NEW_CASE_NOTES)))
    elif completed:
        for body in rng.sample(NOTES, rng.choice((0, 1, 1, 2, 2, 3))):
            bodies.append((ctx.after(rng.choice(completed).occurred_at, 5, 90), body))
    elif contacts:
        bodies.append((ctx.after(contacts[-1].occurred_at, 5, 60), NO_NUMBER_NOTE))
    for at, body in sorted(bodies, key=lambda pair: pair[0]):
        at = min(at, draft.worked_until)
        author = draft.holder_at(at) or ctx.supervisor
        visibility = NoteVisibility.SHAREABLE if rng.random() < 0.15 else NoteVisibility.PRIVILEGED
        note = new_row(
            Note,
            agency_id=ctx.agency.pk,
            case=case,
            body=body,
            author_id=author.pk,
            created_at=at,
            visibility=visibility,
        )
        rows.notes.append(note)
        event_row(ctx, rows, case, CaseEventKind.NOTE_ADDED, at, author.pk, note=note)


def tasks_rows(ctx: DemoContext, rows: Rows, draft: CaseDraft) -> None:
    """Done tasks along the way; open ones on active cases, about a third overdue."""
    rng = ctx.rng
    if not draft.holders:
        return
    case = draft.case
    planned: list[tuple[datetime, str, datetime, bool]] = []  # created, title, due, done
    if case.status == CaseStatus.NEW:
        planned.append(
            (
                draft.holders[0][0],
                "First outreach call",
                case.received_at + timedelta(hours=24),
                False,
            )
        )
    completed = [c.occurred_at for c in draft.contacts if c.outcome == ContactOutcome.COMPLETED]
    if completed:
        for title in rng.sample(DONE_TASKS, rng.choice((0, 1, 1, 2))):
            created = ctx.after(rng.choice(completed), 5, 60)
            due = created + timedelta(days=rng.uniform(1, 14))
            if due < draft.worked_until:
                planned.append((created, title, due, True))
        if case.status == CaseStatus.ACTIVE:
            for title in rng.sample(OPEN_TASKS, rng.choice((1, 1, 2))):
                created = ctx.after(completed[-1], 5, 60)
                due = max(created, ctx.now + timedelta(days=rng.uniform(-5, 10)))
                planned.append((created, title, due, False))
    for created, title, due, done in planned:
        task = new_row(
            Task,
            agency_id=ctx.agency.pk,
            case=case,
            title=title,
            due_at=due,
            assignee_id=(draft.holder_at(created) if done else draft.holders[-1][1]).pk,
            created_by_id=pk_or_none(draft.holder_at(created)),
            created_at=created,
        )
        rows.tasks.append(task)
        event_row(ctx, rows, case, CaseEventKind.TASK_ADDED, created, task.created_by_id, task=task)
        if done:
            done_at = max(created, due - timedelta(days=rng.uniform(0, 2)))
            task.completed_at = min(
                ctx.office_time(done_at, limit=draft.worked_until), draft.worked_until
            )
            task.completed_by_id = pk_or_none(draft.holder_at(task.completed_at))
            event_row(
                ctx,
                rows,
                case,
                CaseEventKind.TASK_COMPLETED,
                task.completed_at,
                task.completed_by_id,
                task=task,
            )


def case_close_rows(
    ctx: DemoContext, rows: Rows, draft: CaseDraft, *, last_activity: datetime
) -> None:
    """The ending (closed, declined, unable to contact) after the last activity."""
    case = draft.case
    if draft.ended_at is not None:
        ended_at = max(draft.ended_at, last_activity + timedelta(minutes=30))
        ended_at = min(ctx.office_time(ended_at, limit=ctx.latest), ctx.latest)
        status = draft.plan.status
        case.closed_at = ended_at
        case.status_reason = ctx.rng.choice(CLOSE_REASONS[status])
        previous = CaseStatus.ACTIVE if case.first_contact_at else CaseStatus.NEW
        event_row(
            ctx,
            rows,
            case,
            CaseEventKind.STATUS_CHANGED,
            ended_at,
            pk_or_none(draft.holder_at(ended_at)),
            data={
                "from": str(previous.label),
                "to": str(CaseStatus(status).label),
                "reason": case.status_reason,
            },
        )
        last_activity = ended_at
    case.assigned_to_id = draft.holders[-1][1].pk if draft.holders else None
    case.updated_at = last_activity
