"""The program's pages: activities (list, new, one), the month calendar, the quarter's counts
and its CSV, the volunteers' files and hours. Thin: access, form, service, render."""

from __future__ import annotations

from datetime import date
from functools import partial

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from haven.agencies.roles import Perm, Role
from haven.cases.selectors import cases_visible_to
from haven.core.decorators import staff_view
from haven.core.form_views import Page, form_view
from haven.core.forms import dataclass_from
from haven.lib.quarters import Quarter
from haven.program import selectors, services
from haven.program.export import activities_csv
from haven.program.forms import ActivityFilterForm, ActivityForm, HoursForm, VolunteerProfileForm


def _require_view(request) -> None:
    if not selectors.may_view(request.actor):
        raise PermissionDenied


def _filters(request) -> tuple[ActivityFilterForm, selectors.ActivityFilters]:
    form = ActivityFilterForm(request.GET or None)
    if not form.is_valid():
        return form, selectors.ActivityFilters()
    data = form.cleaned_data
    return form, selectors.ActivityFilters(
        start=data["start"], end=data["end"], kind=data["kind"], audience=data["audience"]
    )


@staff_view()
def activity_list(request):
    _require_view(request)
    form, filters = _filters(request)
    rows = list(selectors.activities(request.actor, filters)[:500])
    return render(
        request,
        "program/activities.html",
        {
            "form": form,
            "rows": rows,
            "query": request.GET.urlencode(),
            "can_export": request.actor.has(Perm.AGGREGATES_VIEW),
            "can_record": request.actor.has(Perm.PROGRAM_RECORD),
        },
    )


@staff_view(Perm.PROGRAM_RECORD)
def activity_new(request):
    actor = request.actor
    initial = {"held_on": timezone.localdate(), "led_by": actor.membership}
    form = ActivityForm(request.POST or None, actor=actor, initial=initial)
    perform = partial(services.activity_record, actor=actor)
    return form_view(
        request,
        form,
        lambda data: perform(data=dataclass_from(services.ActivityInput, data)),
        done=lambda a: f"{a.get_kind_display()} of {a.held_on:%b %-d} recorded.",
        then=lambda a: reverse("program:activity", args=[a.pk]),
        page=Page("program/activity_form.html"),
    )


@staff_view()
def activity_detail(request, activity_id: int):
    activity = selectors.access_activity(request.actor, activity_id)
    return render(request, "program/activity.html", {"activity": activity})


def _month(text: str) -> date:
    try:
        year, month = (int(part) for part in text.split("-"))
        return date(year, month, 1)
    except (ValueError, TypeError):
        return timezone.localdate().replace(day=1)


@staff_view()
def activity_calendar(request):
    _require_view(request)
    first = _month(request.GET.get("month", ""))
    before = (first.replace(day=1) - date.resolution).replace(day=1)
    after = (first.replace(day=28) + 4 * date.resolution).replace(day=1)
    return render(
        request,
        "program/calendar.html",
        {
            "first": first,
            "weeks": selectors.month_grid(request.actor, first.year, first.month),
            "before": before,
            "after": after,
            "weekdays": ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"],
        },
    )


def _quarter(request) -> tuple[Quarter, str]:
    text = request.GET.get("q", "")
    if not text:
        return Quarter.containing(timezone.localdate()), ""
    try:
        return Quarter.parse(text), ""
    except ValidationError as refusal:  # say what to write, and show this quarter
        return Quarter.containing(timezone.localdate()), " ".join(refusal.messages)


@staff_view()
def quarter_counts(request):
    _require_view(request)
    quarter, error = _quarter(request)
    counts = selectors.program_counts(request.actor, quarter.start, quarter.end)
    return render(
        request,
        "program/quarter.html",
        {
            "quarter": quarter,
            "counts": counts,
            "error": error,
            "previous": quarter.previous,
            "can_export": request.actor.has(Perm.AGGREGATES_VIEW),
        },
        status=400 if error else 200,
    )


@staff_view(Perm.AGGREGATES_VIEW)
def activity_export(request):
    _form, filters = _filters(request)
    text, _count = activities_csv(request.actor, filters)
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="activities-{stamp}.csv"'
    return response


@staff_view(Perm.PROGRAM_MANAGE)
def volunteer_list(request):
    quarter = Quarter.containing(timezone.localdate())
    rows = selectors.volunteers(request.actor, quarter.start, quarter.end)
    return render(request, "program/volunteers.html", {"rows": rows, "quarter": quarter})


def _hours_perform(request, member):
    def perform(data):
        number = data.pop("case", "").strip()
        case = None
        if number:
            case = cases_visible_to(request.actor).filter(number=number).first()
            if case is None:
                raise ValidationError({"case": f"No case you can see is numbered {number}."})
        return services.volunteer_hours_record(
            actor=request.actor, member=member, case=case, **data
        )

    return perform


def _volunteer_page(request, member, *, profile_form=None, hours_form=None, status=200):
    profile = getattr(member, "volunteer_profile", None)
    initial = (
        {"version": 1}  # a file never saved: the first save is version 2
        if profile is None
        else {
            "kind": profile.kind,
            "started_on": profile.started_on,
            "trained_on": profile.trained_on,
            "background_checked_on": profile.background_checked_on,
            "version": profile.version,
        }
    )
    return render(
        request,
        "program/volunteer.html",
        {
            "member": member,
            "profile": profile,
            "profile_form": profile_form or VolunteerProfileForm(initial=initial),
            "hours_form": hours_form or HoursForm(initial={"worked_on": timezone.localdate()}),
            "hours": list(selectors.hours_of(request.actor, member)[:100]),
            "own": member == request.actor.membership,
        },
        status=status,
    )


def _volunteer(request, member_id: int):
    return selectors.access_volunteer(request.actor, member_id)


@staff_view(Perm.PROGRAM_MANAGE)
def volunteer_detail(request, member_id: int):
    member = _volunteer(request, member_id)
    if request.method != "POST":
        return _volunteer_page(request, member)
    form = VolunteerProfileForm(request.POST)
    perform = partial(services.volunteer_profile_save, actor=request.actor, member=member)
    return form_view(
        request,
        form,
        lambda data: perform(**data),
        done=gettext("The volunteer's file is saved."),
        then=reverse("program:volunteer", args=[member.pk]),
        page=lambda req, f, *, status, done: _volunteer_page(
            req, member, profile_form=f, status=status
        ),
    )


def _hours_view(request, member, then: str):
    form = HoursForm(request.POST)
    return form_view(
        request,
        form,
        _hours_perform(request, member),
        done=lambda row: f"{row.hours} hours on {row.worked_on:%b %-d} logged.",
        then=then,
        page=lambda req, f, *, status, done: _volunteer_page(
            req, member, hours_form=f, status=status
        ),
    )


@staff_view(Perm.PROGRAM_MANAGE)
def volunteer_hours(request, member_id: int):
    member = _volunteer(request, member_id)
    if request.method != "POST":
        return _volunteer_page(request, member)
    return _hours_view(request, member, reverse("program:volunteer", args=[member.pk]))


@staff_view()
def my_hours(request):
    """A volunteer's own hours: the list and the form to log a day."""
    member = request.actor.membership
    if member.role != Role.VOLUNTEER:
        raise PermissionDenied
    if request.method != "POST":
        return _volunteer_page(request, member)
    return _hours_view(request, member, reverse("program:hours"))
