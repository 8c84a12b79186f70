"""What falls to the case's specialist when a message cannot simply go: a letter to print, a
call to make, a held message to review. Nothing a victim is owed waits silently."""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone

from haven.cases.models import Task
from haven.cases.services import task_add
from haven.core.actor import Actor
from haven.notices import events, rules
from haven.notices.models import DUE_STATUSES, Channel, Message, MessageStatus

# The source of a message a rights obligation queued (haven.justice): the notice is owed.
OBLIGATION_PREFIX = "justice.obligation"
HELD_NOTE = "Held for the specialist's review: nothing goes out until they send it."
OWED_BY_PHONE = (
    "The person opted out of written messages; this rights notice must reach them by phone."
)
NO_SAFE_HOUR = "The person's safe hours lie wholly inside the agency's quiet hours."


def _staff_task(message: Message, title: str, due_at: datetime | None = None) -> Task | None:
    """A task for the case's specialist; none on a closed case (the messages list shows it)."""
    try:
        return task_add(
            actor=Actor.system(message.case.agency, "notices"),
            case=message.case,
            title=title[:200],
            due_at=due_at or timezone.now(),
        )
    except ValidationError:
        return None


def _held_task(message: Message, task: Task | None) -> Task | None:
    if task is None:
        label = events.template_label(message.template)
        name = message.person.full_name
        task = _staff_task(
            message, f"Review the held message to {name} ({label}): send or cancel it"
        )
    if task is not None:
        Message.objects.filter(pk=message.pk).update(task=task)
        message.task = task
    return task


def _ready_task(message: Message) -> None:
    name = message.person.full_name
    label = events.template_label(message.template)
    if message.channel == Channel.LETTER:
        title = f"Print and mail a letter to {name} ({label})"
    else:
        title = f"Call {name} about: {label}"
    due_at = None
    point = message.contact_point
    if message.channel == Channel.PHONE and point and point.safe_from and point.safe_until:
        # The task falls due when the person said calls are safe, and says so.
        clock = f"{point.safe_from:%H:%M}-{point.safe_until:%H:%M}"
        title = f"{title} (safe to call {clock})"
        now = timezone.now()
        due_at = rules.next_allowed(
            now,
            message.case.agency.tz,
            quiet_start=None,
            quiet_end=None,
            safe_from=point.safe_from,
            safe_until=point.safe_until,
        )
    task = _staff_task(message, title, due_at)
    if task is not None:
        message.task = task
        message.save(update_fields=["task", "updated_at"])


def _call_instead(message: Message, reason: str, *, actor: Actor | None = None) -> Task | None:
    """A message that cannot go (its reason) becomes a call task for the case's specialist:
    nothing a victim is owed waits silently. The message itself is kept as not sent, with the
    reason and the task."""
    label = events.template_label(message.template)
    task = _staff_task(message, f"Call {message.person.full_name} about: {label}. {reason}")
    fields = {"status_note": reason[:300], "updated_at": timezone.now()}
    if task is not None:
        fields["task"] = task
    Message.objects.filter(pk=message.pk).update(**fields)
    system = actor or Actor.system(message.case.agency, "notices")
    events.message_event(system, message, "call task for the specialist")
    return task


def _still_owed(message: Message) -> bool:
    """A rights notice none of whose copies (same dedupe key) went or can still go."""
    return message.source.startswith(OBLIGATION_PREFIX) and not _other_copy_alive(message)


def _other_copy_alive(message: Message) -> bool:
    """Another channel's copy of the same message went, or still can."""
    return (
        Message.objects.filter(
            agency_id=message.agency_id,
            dedupe_key=message.dedupe_key,
            status__in=(
                *DUE_STATUSES,
                MessageStatus.SENDING,
                MessageStatus.SENT,
                MessageStatus.DELIVERED,
                MessageStatus.READY,
                MessageStatus.UNCERTAIN,
            ),
        )
        .exclude(pk=message.pk)
        .exists()
    )
