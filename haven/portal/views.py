"""The victim's status page (no account): /my/<token>/. The token finds the page; a one-time
code (or the date of birth, where chosen) opens a short session; every request is audited.

Answers carry `Referrer-Policy: same-origin` (the token never leaves the site, and forms post
with a real Origin, so CSRF works: under no-referrer Chromium sends `Origin: null`) and
`Cache-Control: no-store`; a refused form answers 200, as the address holds a secret."""

from functools import wraps

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from haven.core.middleware import client_ip
from haven.core.scoping import agency_scope
from haven.justice import ics
from haven.notices.models import OptOutChannel
from haven.people.models import ContactKind
from haven.portal import access, selectors, victim
from haven.portal.forms import CodeForm, LanguageForm, StopForm
from haven.portal.texts import LANGUAGE_NAMES, LANGUAGES, RTL, page_language, say
from haven.portal.texts import TEXT as _TEXT
from haven.portal.victim import CodeResult, OpenResult
from haven.portal.views_choices import choices_from_post, point_rows

DONE = {"saved", "stopped"}
CODE_SAID = {
    CodeResult.SENT: "code_sent",
    CodeResult.NO_SAFE: "no_safe",
    CodeResult.TOO_MANY: "too_many_codes",
    CodeResult.LOCKED: "locked",
}


# Haven's own files only: no third-party request, no inline script or style, no framing.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'none'; form-action 'self'; frame-ancestors 'none'; "
    "base-uri 'none'; object-src 'none'"
)


def _headers(response: HttpResponse) -> HttpResponse:
    response["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
    response["Referrer-Policy"] = "same-origin"
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


def _language(request, page=None) -> str:
    asked = request.GET.get("lang") or request.POST.get("lang")
    if asked in LANGUAGES:
        return asked
    return page_language(page.person.preferred_language if page else None)


def _render(request, template: str, language: str, context: dict, status: int = 200):
    base = {
        "language": language,
        "rtl": language in RTL,
        "t": _TEXT["en"] | _TEXT.get(language, {}),
        "languages": [(c, LANGUAGE_NAMES[c]) for c in LANGUAGES],
    }
    return _headers(render(request, template, base | context, status=status))


def _gone(request, language: str):
    return _render(request, "portal/gone.html", language, {}, status=404)


def victim_page(view):
    """Find the page by the token, run in its agency's scope, refuse an ended page (audited)."""

    @wraps(view)
    def wrapper(request, token: str, *args, **kwargs):
        agency_id = access.agency_of_token(token)
        if agency_id is None:
            return _gone(request, _language(request))
        with agency_scope(agency_id):
            page = access.page_of_token(token)
            language = _language(request, page)
            ip = client_ip(request)
            if not page.is_live():
                victim._refused(victim.victim_actor(page, ip), page, "link ended")
                return _gone(request, language)
            return view(request, page, token, language, ip, *args, **kwargs)

    return wrapper


def _gate(request, page, token, language, ip, *, said="", status=200):
    victim.page_read(page=page, ip=ip, what="gate")
    context = {"page": page, "token": token, "said": said, "dob_allowed": page.dob_allowed}
    return _render(request, "portal/gate.html", language, context, status=status)


@require_GET
@victim_page
def page(request, page, token, language, ip):
    state = access.session_state(request, page)
    if state != "open":
        said = say(language, "signed_out") if state == "idle" else ""
        if state == "idle":
            victim._refused(victim.victim_actor(page, ip), page, "idle")
        return _gate(request, page, token, language, ip, said=said)
    victim.page_read(page=page, ip=ip, what="status")
    done = request.GET.get("done")
    context = {
        "page": page,
        "token": token,
        "status": selectors.status_of(page, language),
        "points": point_rows(page, language),
        "done": say(language, done) if done in DONE else "",
        "can_stop": {
            "sms": any(p.kind == ContactKind.PHONE for p in victim.safe_points(page)),
            "email": any(p.kind == ContactKind.EMAIL for p in victim.safe_points(page)),
        },
        "no_specialist": say(language, "no_specialist", agency=page.agency.name),
    }
    return _render(request, "portal/status.html", language, context)


@require_POST
@victim_page
def code(request, page, token, language, ip):
    sent = victim.code_send(page=page, ip=ip)
    if sent.result == CodeResult.HELD:
        said = say(language, "code_held", when=selectors.moment(sent.when, language, page))
    else:
        said = say(language, CODE_SAID[sent.result])
    return _gate(request, page, token, language, ip, said=said)


@require_POST
@victim_page
def open_page(request, page, token, language, ip):
    form = CodeForm(request.POST)
    if not form.is_valid():
        return _gate(request, page, token, language, ip, said=say(language, "wrong"))
    result = victim.page_open(
        page=page, code=form.cleaned_data["code"], dob=form.cleaned_data["dob"], ip=ip
    )
    if result != OpenResult.OPEN:
        key = "locked" if result == OpenResult.LOCKED else "wrong"
        return _gate(request, page, token, language, ip, said=say(language, key))
    access.session_start(request, page)
    return _headers(redirect(_here(token, language)))


def _here(token: str, language: str, done: str = "") -> str:
    query = f"?lang={language}" + (f"&done={done}" if done else "")
    return reverse("portal:page", args=[token]) + query


def signed_in(view):
    """The victim's session for this page must be open; else back to the code form."""

    @wraps(view)
    def wrapper(request, page, token, language, ip, *args, **kwargs):
        if access.session_state(request, page) != "open":
            victim._refused(victim.victim_actor(page, ip), page, "no session")
            return _gate(request, page, token, language, ip, said=say(language, "signed_out"))
        return view(request, page, token, language, ip, *args, **kwargs)

    return wrapper


@require_POST
@victim_page
@signed_in
def language_change(request, page, token, language, ip):
    form = LanguageForm(request.POST)
    if form.is_valid():
        language = form.cleaned_data["language"]
        victim.language_set(page=page, language=language, ip=ip)
        return _headers(redirect(_here(token, language, "saved")))
    return _headers(redirect(_here(token, language)))


@require_POST
@victim_page
@signed_in
def choices(request, page, token, language, ip):
    made, errors = choices_from_post(page, request.POST)
    if errors:
        victim.page_read(page=page, ip=ip, what="status")
        context = {
            "page": page,
            "token": token,
            "status": selectors.status_of(page, language),
            "points": point_rows(page, language, request.POST, errors),
            "error": say(language, "fix", what=say(language, "safe_hours")),
        }
        return _render(request, "portal/status.html", language, context)
    victim.safety_set(page=page, choices=made, ip=ip)
    return _headers(redirect(_here(token, language, "saved")))


@require_POST
@victim_page
@signed_in
def stop(request, page, token, language, ip):
    form = StopForm(request.POST)
    if form.is_valid():
        channel = {"all": OptOutChannel.ALL, "sms": OptOutChannel.SMS}.get(
            form.cleaned_data["stop"], OptOutChannel.EMAIL
        )
        victim.messages_stop(page=page, channel=channel, ip=ip)
        return _headers(redirect(_here(token, language, "stopped")))
    return _headers(redirect(_here(token, language)))


@require_GET
@victim_page
@signed_in
def calendar(request, page, token, language, ip):
    """The court dates as an .ics file (the justice app's calendar writer); only when the
    specialist released court dates."""
    if not page.show_court:
        return _gone(request, language)
    events = selectors.court_events(page)
    victim.page_read(page=page, ip=ip, what="calendar")
    body = ics.calendar(events, host=request.get_host().split(":")[0], language=language)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="court-dates.ics"'
    return _headers(response)


@require_POST
@victim_page
def close(request, page, token, language, ip):
    access.session_end(request, page)
    victim.page_read(page=page, ip=ip, what="closed")
    return _headers(redirect(reverse("portal:page", args=[token]) + f"?lang={language}"))
