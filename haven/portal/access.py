"""Finding a status page: for staff through their case (404 for missing and not yours alike),
for the victim by the token in the link, and the victim's short session.

The session holds, per page, the time of the last request; 15 minutes idle and the page asks
for a new code. A revoked or expired page ends every session with it at once (each request
looks the page up again)."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.http import Http404, HttpRequest
from django.utils import timezone

from haven.cases.access import access_case
from haven.core.actor import Actor
from haven.core.scoping import all_agencies
from haven.lib.tokens import token_digest
from haven.portal.models import StatusPage

IDLE = timedelta(minutes=15)
SESSION_KEY = "haven.portal"


def access_page(actor: Actor, page_id, *, write: bool = False) -> StatusPage:
    """A status page on a case the actor may read (work, with write=True); 404 otherwise."""
    try:
        page = StatusPage.objects.select_related("person", "case").get(
            pk=int(page_id), agency=actor.agency
        )
    except (StatusPage.DoesNotExist, ValueError, TypeError):
        raise Http404("No such status page.") from None
    page.case = access_case(actor, page.case_id, write=write)
    return page


def agency_of_token(token: str) -> int | None:
    """The agency whose page the token opens (any state), looked up across agencies by digest
    only, so the rest of the request runs in that agency's scope."""
    with all_agencies():
        return (
            StatusPage.objects.filter(token_digest=token_digest(token))
            .values_list("agency_id", flat=True)
            .first()
        )


def page_of_token(token: str) -> StatusPage | None:
    """The page (inside its agency's scope); None for an unknown token."""
    return (
        StatusPage.objects.select_related("agency", "case__assigned_to__user", "person")
        .filter(token_digest=token_digest(token))
        .first()
    )


def session_start(request: HttpRequest, page: StatusPage) -> None:
    request.session.cycle_key()  # a new session id on sign-in (no fixation)
    opened = dict(request.session.get(SESSION_KEY, {}))
    opened[str(page.pk)] = timezone.now().isoformat()
    request.session[SESSION_KEY] = opened


def session_state(request: HttpRequest, page: StatusPage) -> str:
    """ "open" (and the idle clock restarts), "idle" (it was open, and timed out: closed now)
    or "none"."""
    opened = dict(request.session.get(SESSION_KEY, {}))
    seen = opened.get(str(page.pk))
    if seen is None:
        return "none"
    if timezone.now() - datetime.fromisoformat(seen) > IDLE:
        session_end(request, page)
        return "idle"
    opened[str(page.pk)] = timezone.now().isoformat()
    request.session[SESSION_KEY] = opened
    return "open"


def session_end(request: HttpRequest, page: StatusPage) -> None:
    opened = dict(request.session.get(SESSION_KEY, {}))
    opened.pop(str(page.pk), None)
    request.session[SESSION_KEY] = opened
