"""Which channels one message goes over: the person's safe contact points, their opt-outs, and
a call when no written channel is safe."""

from django.core.exceptions import ValidationError

from haven.notices import automatic
from haven.notices.models import AutoMode, Channel, MessageStatus
from haven.notices.services.opt_outs import _blocked, opted_out_channels
from haven.notices.services.specialist_tasks import OWED_BY_PHONE
from haven.people.models import ContactKind, ContactPoint, Person


def _first_point(points: list[ContactPoint], kind: str, flag: str | None) -> ContactPoint | None:
    for point in points:
        if point.kind == kind and (flag is None or getattr(point, flag)):
            return point
    return None


def _plan(person: Person, channels: list[str] | None, obligation: bool) -> list[tuple]:
    """[(channel, contact point or None, status, note)] for one message.

    Email and SMS go wherever the person said mail or texts are safe; a letter only when
    neither is usable; a phone task for the specialist when no written channel is safe (or an
    opted-out person must still hear of a rights obligation).
    """
    points = list(person.contact_points.filter(ok_to_contact=True))
    opted = opted_out_channels(person)
    usable = {
        Channel.EMAIL: _first_point(points, ContactKind.EMAIL, "ok_mail"),
        Channel.SMS: _first_point(points, ContactKind.PHONE, "ok_text"),
        Channel.LETTER: _first_point(points, ContactKind.ADDRESS, "ok_mail"),
        Channel.PHONE: _first_point(points, ContactKind.PHONE, None),
    }
    wanted = list(channels) if channels else [Channel.EMAIL, Channel.SMS]
    unknown = set(wanted) - set(Channel.values)
    if unknown:
        raise ValidationError(f"Unknown channel: {', '.join(sorted(unknown))}.")
    plan, went, opted_out = [], False, False
    for channel in wanted:
        point = usable[channel]
        if channel == Channel.PHONE:
            continue
        if point is None:
            continue
        if _blocked(channel, opted):
            plan.append((channel, point, MessageStatus.SUPPRESSED, "The person opted out."))
            opted_out = True
            continue
        status = MessageStatus.READY if channel == Channel.LETTER else MessageStatus.QUEUED
        plan.append((channel, point, status, ""))
        went = True
    if not went and channels is None and usable[Channel.LETTER]:
        if _blocked(Channel.LETTER, opted):
            note = "The person opted out."
            plan.append((Channel.LETTER, usable[Channel.LETTER], MessageStatus.SUPPRESSED, note))
            opted_out = True
        else:
            plan.append((Channel.LETTER, usable[Channel.LETTER], MessageStatus.READY, ""))
            went = True
    if went:
        return plan
    if opted_out and not obligation:
        return plan
    if channels is not None and Channel.PHONE not in channels and not opted_out:
        # The caller asked for channels the person cannot safely get: say so, send nothing.
        return plan or [
            (wanted[0], None, MessageStatus.SUPPRESSED, "No safe contact for this channel.")
        ]
    note = OWED_BY_PHONE if opted_out else "No written channel is safe: call instead."
    plan.append((Channel.PHONE, usable[Channel.PHONE], MessageStatus.READY, note))
    return plan


def _automatic_plan(mode: str, person: Person, plan: list[tuple]) -> list[tuple]:
    """A rights notice the unit keeps "off" for this kind of case (automatic.py) becomes a
    call to make; "hold" is message_queue's `hold`."""
    if mode == AutoMode.OFF:
        points = list(person.contact_points.filter(ok_to_contact=True))
        phone = _first_point(points, ContactKind.PHONE, None)
        return [(Channel.PHONE, phone, MessageStatus.READY, automatic.OFF_NOTE)]
    return plan
