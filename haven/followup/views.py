"""Follow-up pages: the list of one's follow-ups (and a supervisor's of everyone's), the forms
behind the case page's follow-up section, and the coordinator's rules. Every form posts without
JavaScript and comes back to where it was sent from."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import dateformat, timezone
from django.views.decorators.http import require_POST

from haven.agencies.roles import Perm
from haven.cases.access import access_case
from haven.cases.selectors import caseworkers
from haven.core.decorators import staff_view
from haven.core.forms import add_service_errors, dataclass_from
from haven.core.navigation import next_or
from haven.followup import selectors
from haven.followup.access import access_followup, access_followup_rule
from haven.followup.forms import (
    BoardForm,
    CompleteForm,
    PlanForm,
    ReassignForm,
    RuleForm,
    ScheduleForm,
    SettingsForm,
    SkipForm,
    blank_plan_form,
)
from haven.followup.models import FollowUpKind, FollowUpOutcome
from haven.followup.services import (
    RuleData,
    followup_complete,
    followup_reassign,
    followup_rule_save,
    followup_schedule,
    followup_settings,
    followup_settings_save,
    followup_skip,
    plan_pause,
    plan_set,
)


def case_url(case_id: int) -> str:
    return reverse("cases:detail", args=[case_id]) + "#follow-up"


def _done_message(recorded) -> str:
    followup, following = recorded
    text = f"{followup.get_kind_display()}: {followup.get_outcome_display().lower()}."
    if following is not None:
        text += f" Next check-in: {_when(following.due_at)}."
    return text


def _when(moment) -> str:
    """A moment on the agency's wall clock (the middleware activates its zone)."""
    return dateformat.format(timezone.localtime(moment), "D M j, g:i A")


# The list.


@staff_view(Perm.CASE_VIEW)
def followup_list(request):
    """My follow-ups: overdue, due today, the next two weeks. Supervisors choose whose."""
    actor = request.actor
    team = selectors.may_see_team(actor)
    workers = selectors.specialist_choices(actor) if team else []
    form = BoardForm(request.GET or None, caseworkers=workers)
    who = "mine"
    if team and form.is_valid():
        who = form.cleaned_data["who"] or "mine"
    board = selectors.followup_board(actor, who=who)
    return render(
        request,
        "followup/list.html",
        {
            "board": board,
            "form": form,
            "team": team,
            "can_work": actor.has(Perm.CASE_WORK),
            "here": request.get_full_path(),
        },
    )


# The case's plan.


@staff_view(Perm.CASE_WORK)
def plan_edit(request, case_id: int):
    """How often to check in on the case (GET: the form on a page of its own; POST: save)."""
    if request.method != "POST":
        case = access_case(request.actor, case_id)
        form = blank_plan_form(case)
        return render(request, "followup/plan.html", {"case": case, "form": form})
    case = access_case(request.actor, case_id, write=True)
    form = PlanForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            plan = plan_set(
                actor=request.actor,
                case=case,
                unit=data["unit"],
                every=data["every"],
                time_of_day=data["time_of_day"],
                first_on=data["first_on"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Check-ins {plan.cadence_text}.")
            return redirect(case_url(case.pk))
    return render(request, "followup/plan.html", {"case": case, "form": form}, status=400)


@require_POST
@staff_view(Perm.CASE_WORK)
def plan_pause_view(request, case_id: int):
    case = access_case(request.actor, case_id, write=True)
    try:
        plan_pause(actor=request.actor, case=case)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Regular check-ins paused.")
    return redirect(case_url(case.pk))


# Scheduling, completing, skipping, reassigning.


@staff_view(Perm.CASE_WORK)
def followup_new(request, case_id: int):
    """Schedule a check-in (moving the pending one) or a court accompaniment appointment."""
    if request.method != "POST":
        case = access_case(request.actor, case_id)
        kind = request.GET.get("kind")
        form = ScheduleForm(initial={"kind": kind} if kind in FollowUpKind.values else None)
        return render(request, "followup/schedule.html", {"case": case, "form": form})
    case = access_case(request.actor, case_id, write=True)
    form = ScheduleForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            followup = followup_schedule(
                actor=request.actor,
                case=case,
                kind=data["kind"],
                due_at=data["due_at"],
                location=data["location"],
                notes=data["notes"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, f"{followup.get_kind_display()} scheduled for {_when(followup.due_at)}."
            )
            return redirect(case_url(case.pk))
    return render(request, "followup/schedule.html", {"case": case, "form": form}, status=400)


@staff_view(Perm.CASE_WORK)
def followup_complete_view(request, followup_id: int):
    """Record a follow-up: done, or tried without reaching the victim, with the contact it was.
    The case page's "Done" button posts here with just the outcome."""
    posting = request.method == "POST"
    followup = access_followup(request.actor, followup_id, write=posting)
    contacts = list(selectors.recent_contacts(followup.case))
    form = CompleteForm(request.POST if posting else None, contacts=contacts)
    fallback = case_url(followup.case_id)
    if posting and form.is_valid():
        try:
            recorded = followup_complete(
                actor=request.actor,
                followup=followup,
                outcome=form.cleaned_data["outcome"],
                contact=form.cleaned_data["contact"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _done_message(recorded))
            return redirect(next_or(request, fallback))
    return render(
        request,
        "followup/complete.html",
        {
            "followup": followup,
            "case": followup.case,
            "form": form,
            "next": next_or(request, fallback),
            "done_value": FollowUpOutcome.DONE,
        },
        status=400 if form.errors else 200,
    )


@require_POST
@staff_view(Perm.CASE_WORK)
def followup_skip_view(request, followup_id: int):
    """Skip a check-in (the next is scheduled) or cancel a court appointment."""
    followup = access_followup(request.actor, followup_id, write=True)
    form = SkipForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        recorded = followup_skip(actor=request.actor, followup=followup, reason=reason)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _done_message(recorded))
    return redirect(next_or(request, case_url(followup.case_id)))


@staff_view(Perm.CASE_ASSIGN)
def followup_reassign_view(request, followup_id: int):
    """A supervisor gives a follow-up to another specialist, or back to the case's."""
    posting = request.method == "POST"
    followup = access_followup(request.actor, followup_id, write=posting)
    form = ReassignForm(
        request.POST if posting else None,
        caseworkers=caseworkers(request.actor),
        initial={"assignee": followup.assignee_id},
    )
    fallback = case_url(followup.case_id)
    if posting and form.is_valid():
        try:
            followup_reassign(
                actor=request.actor, followup=followup, assignee=form.cleaned_data["assignee"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            holder = followup.specialist
            messages.success(
                request,
                f"{followup.get_kind_display()} now with "
                f"{holder.display_name if holder else 'whoever takes the case'}.",
            )
            return redirect(next_or(request, fallback))
    return render(
        request,
        "followup/reassign.html",
        {
            "followup": followup,
            "case": followup.case,
            "form": form,
            "next": next_or(request, fallback),
        },
        status=400 if form.errors else 200,
    )


# The coordinator's rules and settings.


@staff_view(Perm.AGENCY_CONFIGURE)
def rule_list(request):
    current = followup_settings(request.actor.agency)
    form = SettingsForm(
        initial={"skip_closed_days": current.skip_closed_days, "default_time": current.default_time}
    )
    return _rules_page(request, form)


def _rules_page(request, settings_form, status=200):
    return render(
        request,
        "followup/rules/list.html",
        {"rules": selectors.followup_rules(request.actor), "settings_form": settings_form},
        status=status,
    )


@require_POST
@staff_view(Perm.AGENCY_CONFIGURE)
def settings_save(request):
    form = SettingsForm(request.POST)
    if form.is_valid():
        try:
            followup_settings_save(actor=request.actor, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Saved the follow-up settings.")
            return redirect("followup:rules")
    return _rules_page(request, form, status=400)


@staff_view(Perm.AGENCY_CONFIGURE)
def rule_new(request):
    return _rule_form(request, rule=None)


@staff_view(Perm.AGENCY_CONFIGURE)
def rule_edit(request, followup_rule_id: int):
    return _rule_form(request, rule=access_followup_rule(request.actor, followup_rule_id))


def _rule_form(request, *, rule):
    form = RuleForm(request.POST or None, initial=RuleForm.initial_for(rule) if rule else None)
    if request.method == "POST" and form.is_valid():
        try:
            saved = followup_rule_save(
                actor=request.actor, data=dataclass_from(RuleData, form.cleaned_data), rule=rule
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Saved the rule “{saved.name}”.")
            return redirect("followup:rules")
    return render(
        request,
        "followup/rules/form.html",
        {"form": form, "rule": rule},
        status=400 if form.errors else 200,
    )
