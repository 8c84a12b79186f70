"""The victim's safe times and channels on their status page: the rows the form shows (one
per phone or email they may be reached at, shown masked) and reading them back."""

from datetime import time

from django.http import QueryDict

from haven.people.models import ContactKind, ContactPoint
from haven.portal.models import StatusPage
from haven.portal.texts import say
from haven.portal.victim import PointChoice


def _points(page: StatusPage) -> list[ContactPoint]:
    kinds = (ContactKind.PHONE, ContactKind.EMAIL)
    return list(ContactPoint.objects.filter(person=page.person, ok_to_contact=True, kind__in=kinds))


def _masked(point: ContactPoint, language: str) -> str:
    if point.kind == ContactKind.PHONE:
        return say(language, "phone_ending", last=point.value[-4:])
    return say(language, "email_at", domain=point.value.rpartition("@")[2])


def _hhmm(value: time | None) -> str:
    return value.strftime("%H:%M") if value else ""


def point_rows(page, language, post: QueryDict | None = None, errors=()) -> list[dict]:
    rows = []
    for point in _points(page):
        prefix = f"cp{point.pk}"
        phone = point.kind == ContactKind.PHONE
        if post is None:
            ok, start, until = (
                point.ok_text if phone else point.ok_mail,
                point.safe_from,
                point.safe_until,
            )
            start, until = _hhmm(start), _hhmm(until)
        else:
            ok = post.get(f"{prefix}-ok") == "on"
            start, until = post.get(f"{prefix}-from", ""), post.get(f"{prefix}-until", "")
        rows.append(
            {
                "prefix": prefix,
                "label": _masked(point, language),
                "ok": ok,
                "ok_label": say(language, "ok_text" if phone else "ok_mail"),
                "from": start,
                "until": until,
                "error": prefix in errors,
            }
        )
    return rows


def _time(text: str) -> time | None:
    text = (text or "").strip()
    if not text:
        return None
    hours, _, minutes = text.partition(":")
    return time(int(hours), int(minutes or 0))


def choices_from_post(page: StatusPage, post: QueryDict) -> tuple[list[PointChoice], set[str]]:
    """The choices for each point, and the prefixes of rows to fix (a bad time, or one end of
    the safe hours without the other)."""
    made, errors = [], set()
    for point in _points(page):
        prefix = f"cp{point.pk}"
        try:
            start = _time(post.get(f"{prefix}-from", ""))
            until = _time(post.get(f"{prefix}-until", ""))
        except ValueError:
            errors.add(prefix)
            continue
        if (start is None) != (until is None):
            errors.add(prefix)
            continue
        ok = post.get(f"{prefix}-ok") == "on"
        made.append(PointChoice(point=point, ok=ok, safe_from=start, safe_until=until))
    return made, errors
