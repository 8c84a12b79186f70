"""Pages of the justice timeline: the case section's forms (POST, back to the case), the
specialist's obligation list, the coordinator's CSV upload and rule settings, and the
victim's court calendar (a page to hand out the link, the .ics download, the public feed)."""

from __future__ import annotations

from functools import partial

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from haven.agencies.models import Agency
from haven.agencies.roles import Perm
from haven.audit.models import AuditAction
from haven.audit.services import audit_record
from haven.cases.access import access_case
from haven.cases.panels import panel_url
from haven.core.decorators import staff_view
from haven.core.form_views import Page, action_view, form_view
from haven.core.scoping import agency_scope
from haven.justice import ics, selectors, services
from haven.justice.access import (
    access_court_case,
    access_court_event,
    access_feed,
    access_justice_case,
    access_obligation,
    access_victim_on_case,
)
from haven.justice.calendar_words import calendar_language
from haven.justice.forms import (
    CancelForm,
    CourtCaseForm,
    CourtEventForm,
    CustodyEventForm,
    HonorForm,
    ImportForm,
    MoveForm,
    OutcomeForm,
    SettingsForm,
    WaiveForm,
)
from haven.justice.importer import RowError, justice_import, read_csv
from haven.justice.models import CalendarFeed, ObligationStatus


def _back(case) -> str:
    return panel_url(case.pk, "justice")


# -- court cases -----------------------------------------------------------------------------


@staff_view(Perm.CASE_WORK)
def court_case_new(request, case_id: int):
    case = access_justice_case(request.actor, case_id, write=True)
    if request.method != "POST":
        access_case(request.actor, case.pk)  # the form shows the case: audit the read
    form = CourtCaseForm(request.POST or None)
    save = partial(services.court_case_save, actor=request.actor, case=case)
    page = Page("justice/court_case_form.html", {"case": case})
    return form_view(
        request,
        form,
        lambda d: save(**d),
        done=gettext("Court case added."),
        then=_back(case),
        page=page,
    )


@staff_view(Perm.CASE_WORK)
def court_case_edit(request, court_case_id: int):
    court_case = access_court_case(request.actor, court_case_id, write=True)
    case = court_case.case
    initial = {"version": court_case.version}
    form = CourtCaseForm(request.POST or None, instance=court_case, initial=initial)
    save = partial(services.court_case_save, actor=request.actor, case=case, court_case=court_case)
    return form_view(
        request,
        form,
        lambda d: save(
            version=d["version"], **{name: d[name] for name in services.COURT_CASE_FIELDS}
        ),
        done=gettext("Court case saved."),
        then=_back(case),
        page=Page("justice/court_case_form.html", {"case": case, "court_case": court_case}),
    )


# -- court and custody events: forms on the case page; a refusal is flashed there -----------


@require_POST
@staff_view(Perm.CASE_WORK)
def court_event_new(request, case_id: int):
    case = access_justice_case(request.actor, case_id, write=True)
    form = CourtEventForm(request.POST, court_cases=selectors.court_cases_of(case))
    record = partial(services.court_event_record, actor=request.actor)
    done = "Court date recorded; the rights it triggers are listed."
    return form_view(request, form, lambda d: record(**d), done=done, then=_back(case))


@require_POST
@staff_view(Perm.CASE_WORK)
def court_event_move(request, court_event_id: int):
    event = access_court_event(request.actor, court_event_id, write=True)
    move = partial(services.court_event_move, actor=request.actor, event=event)
    return form_view(
        request,
        MoveForm(request.POST),
        lambda d: move(scheduled_at=d["scheduled_at"], courtroom=d["courtroom"] or None),
        done=gettext("Court date moved; the victims are owed notice of the change."),
        then=_back(event.case),
    )


@require_POST
@staff_view(Perm.CASE_WORK)
def court_event_cancel(request, court_event_id: int):
    event = access_court_event(request.actor, court_event_id, write=True)
    form = CancelForm(request.POST)
    form.is_valid()
    reason = form.cleaned_data.get("reason", "")
    cancel = partial(services.court_event_cancel, actor=request.actor, event=event, reason=reason)
    return action_view(
        request, cancel, done=gettext("Court date cancelled."), then=_back(event.case)
    )


@require_POST
@staff_view(Perm.CASE_WORK)
def court_event_accompany(request, court_event_id: int):
    """Schedule the specialist's court accompaniment for this hearing (haven.followup): it then
    moves and is cancelled with the hearing."""
    event = access_court_event(request.actor, court_event_id, write=True)
    return action_view(
        request,
        partial(services.court_event_accompany, actor=request.actor, event=event),
        done=gettext(
            "Court accompaniment scheduled: it follows the hearing if the court moves it."
        ),
        then=_back(event.case),
    )


@require_POST
@staff_view(Perm.CASE_WORK)
def court_event_outcome(request, court_event_id: int):
    event = access_court_event(request.actor, court_event_id, write=True)
    record = partial(services.court_event_outcome, actor=request.actor, event=event)
    form = OutcomeForm(request.POST)
    back = _back(event.case)
    return form_view(
        request, form, lambda d: record(**d), done=gettext("Outcome recorded."), then=back
    )


@require_POST
@staff_view(Perm.CASE_WORK)
def custody_event_new(request, case_id: int):
    case = access_justice_case(request.actor, case_id, write=True)
    record = partial(services.custody_event_record, actor=request.actor, case=case)
    form = CustodyEventForm(request.POST)
    done = "Custody event recorded."
    return form_view(request, form, lambda d: record(**d), done=done, then=_back(case))


@require_POST
@staff_view(Perm.CASE_WORK)
def rights_request(request, case_id: int, person_id: int):
    case, person = access_victim_on_case(request.actor, case_id, person_id, write=True)
    record = partial(services.rights_request_record, actor=request.actor, case=case, person=person)
    done = f"Recorded: {person.full_name} asked to be told on request."
    return action_view(request, record, done=done, then=_back(case))


# -- obligations -----------------------------------------------------------------------------


def _next_or(request, case) -> str:
    target = request.POST.get("next", "")
    return target if target == reverse("justice:obligations") else _back(case)


@require_POST
@staff_view(Perm.CASE_WORK)
def obligation_honor(request, obligation_id: int):
    obligation = access_obligation(request.actor, obligation_id, write=True)
    honor = partial(services.obligation_honor, actor=request.actor, obligation=obligation)
    form = HonorForm(request.POST)
    done = f"Recorded: {obligation.right}."
    then = _next_or(request, obligation.case)
    return form_view(request, form, lambda d: honor(**d), done=done, then=then)


@require_POST
@staff_view(Perm.CASE_WORK)
def obligation_waive(request, obligation_id: int):
    obligation = access_obligation(request.actor, obligation_id, write=True)
    waive = partial(services.obligation_waive, actor=request.actor, obligation=obligation)
    then = _next_or(request, obligation.case)
    return form_view(
        request, WaiveForm(request.POST), lambda d: waive(**d), done=gettext("Waived."), then=then
    )


@staff_view(Perm.CASE_VIEW)
def obligation_list(request):
    """Open obligations of the specialist's cases (supervisors: the agency's), soonest due
    first, overdue ones marked. ?status=honored etc. for the others."""
    status = request.GET.get("status", ObligationStatus.OPEN)
    if status not in ObligationStatus.values:
        status = ObligationStatus.OPEN
    rows = selectors.obligation_list(request.actor, status=status)
    audit_record(
        actor=request.actor,
        action=AuditAction.OBLIGATION_LIST,
        object_type="justice.rightsobligation",
        details={"status": status, "cases": sorted({o.case_id for o in rows})[:200]},
    )
    now = timezone.now()
    return render(
        request,
        "justice/obligations.html",
        {
            "rows": rows,
            "status": status,
            "statuses": ObligationStatus.choices,
            "now": now,
            "overdue": sum(1 for o in rows if o.is_overdue(now)),
            "honor_form": HonorForm(),
        },
    )


# -- the coordinator's pages -----------------------------------------------------------------


@staff_view(Perm.JUSTICE_IMPORT)
def import_upload(request):
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    status = 200
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            rows = read_csv(upload.read())
        except (RowError, UnicodeDecodeError) as exc:
            form.add_error("file", f"Line 1: {exc}")
            status = 400
        else:
            result = justice_import(
                actor=request.actor, rows=rows, source="csv", file_name=upload.name or ""
            )
            status = 400 if result.bad else 200
    elif request.method == "POST":
        status = 400
    return render(request, "justice/import.html", {"form": form, "result": result}, status=status)


@staff_view(Perm.AGENCY_CONFIGURE)
def settings_page(request):
    current = services.settings_of(request.actor.agency)
    form = SettingsForm(
        request.POST or None,
        initial={
            "illinois": current.illinois,
            "federal_cvra": current.federal_cvra,
            "version": current.version,
        },
    )
    from haven.justice.rules import rule_file, rule_set

    sets = [(rule_file(j), rule_set(j)) for j in ("illinois", "federal_cvra")]
    save = partial(services.justice_settings_save, actor=request.actor)
    page = Page("justice/settings.html", {"sets": sets})
    done = "Rights rules saved."
    return form_view(
        request, form, lambda d: save(**d), done=done, then="justice:settings", page=page
    )


# -- the victim's court calendar -------------------------------------------------------------


def feed_url(request, feed: CalendarFeed) -> str:
    return request.build_absolute_uri(
        reverse(
            "justice:feed",
            kwargs={"ics_agency": feed.agency.slug, "ics_token": ics.feed_token(feed)},
        )
    )


@staff_view(Perm.CASE_VIEW)
def calendar_page(request, case_id: int, person_id: int):
    """The link to hand out (made or replaced with POST), the upcoming dates, a download."""
    write = request.method == "POST"
    case, person = access_victim_on_case(request.actor, case_id, person_id, write=write)
    if write:
        create = partial(services.calendar_feed_create, actor=request.actor, case=case)
        done = "New calendar link made; any older link stopped working."
        then = reverse("justice:calendar", kwargs={"case_id": case.pk, "person_id": person.pk})
        return action_view(request, lambda: create(person=person), done=done, then=then)
    feed = selectors.live_feeds_of(case, [person.pk]).get(person.pk)
    return render(
        request,
        "justice/calendar.html",
        {
            "case": case,
            "person": person,
            "feed": feed,
            "url": feed_url(request, feed) if feed else "",
            "events": selectors.calendar_events_for(person, agency=case.agency),
            "fell_back": calendar_language(person.preferred_language)[1],
        },
    )


@require_POST
@staff_view(Perm.CASE_WORK)
def calendar_revoke(request, case_id: int, feed_id: int):
    case, feed = access_feed(request.actor, case_id, feed_id)
    revoke = partial(services.calendar_feed_revoke, actor=request.actor, case=case, feed=feed)
    done = "Calendar link revoked: it stops working now."
    then = reverse("justice:calendar", kwargs={"case_id": case.pk, "person_id": feed.person_id})
    return action_view(request, revoke, done=done, then=then)


def _ics_response(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


@staff_view(Perm.CASE_VIEW)
def calendar_download(request, case_id: int, person_id: int):
    """A one-off .ics of the person's upcoming court dates, for the specialist to send."""
    case, person = access_victim_on_case(request.actor, case_id, person_id, audit=False)
    events = selectors.calendar_events_for(person, agency=case.agency)
    audit_record(
        actor=request.actor,
        action=AuditAction.CALENDAR_READ,
        object_type="people.person",
        object_id=person.pk,
        details={"case": case.pk, "download": True, "events": [e.pk for e in events]},
    )
    body = ics.calendar(
        events,
        host=request.get_host().split(":")[0],
        reminder=request.GET.get("reminder") != ics.NO_REMINDER,
        language=calendar_language(person.preferred_language)[0],
    )
    return _ics_response(body, "court-dates.ics")


def calendar_feed(request, ics_agency: str, ics_token: str):
    """The public feed (no sign-in): the signed token is the key, and it works only under its
    own agency's address; revoked, forged or another agency's: 404. Reads are audited at most
    once an hour a link, since calendar apps poll."""
    if request.method not in ("GET", "HEAD"):
        raise Http404
    agency = Agency.objects.filter(slug=ics_agency).first()
    if agency is None:
        raise Http404
    with agency_scope(agency):
        feed = ics.feed_from_token(agency, ics_token)
        if feed is None:
            raise Http404
        events = selectors.calendar_events_for(feed.person, agency=agency)
        now = timezone.now()
        fresh = (
            CalendarFeed.objects.filter(pk=feed.pk)
            .exclude(last_read_at__gt=now - timezone.timedelta(hours=1))
            .update(last_read_at=now)
        )
        if fresh:
            audit_record(
                actor=None,
                action=AuditAction.CALENDAR_READ,
                obj=feed,
                agency_id=agency.pk,
                actor_label="calendar link",
                details={"person": feed.person_id, "events": len(events)},
            )
        body = ics.calendar(
            events,
            host=request.get_host().split(":")[0],
            reminder=request.GET.get("reminder") != ics.NO_REMINDER,
            language=calendar_language(feed.person.preferred_language)[0],
        )
    return _ics_response(body, "court-dates.ics")
