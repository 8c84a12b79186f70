"""Follow-up pages: the list of one's follow-ups (and a supervisor's of everyone's), the forms
behind the case page's follow-up section, and the coordinator's rules. Every form posts without
JavaScript and comes back to where it was sent from."""

from functools import partial

from django.shortcuts import render
from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from haven.agencies.roles import Perm
from haven.cases.access import access_case
from haven.cases.selectors import caseworkers
from haven.core.decorators import staff_view
from haven.core.form_views import Page, action_view, form_view
from haven.core.forms import dataclass_from
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
    """How often to check in on the case (GET: the form on a page of its own, or for htmx the
    form alone, which the case page loads when its section is opened; POST: save)."""
    posting = request.method == "POST"
    case = access_case(request.actor, case_id, write=posting)
    form = PlanForm(request.POST) if posting else blank_plan_form(case)
    perform = partial(plan_set, actor=request.actor, case=case)
    return form_view(
        request,
        form,
        lambda d: perform(**d),
        done=lambda plan: f"Check-ins {plan.cadence_text}.",
        then=case_url(case.pk),
        page=Page(_form_template(request, "plan"), {"case": case}),
    )


def _form_template(request, name: str) -> str:
    """A form's page, or for an htmx GET (the case page's section opened) the form alone."""
    alone = request.htmx and request.method != "POST"
    return f"followup/_{name}_form.html" if alone else f"followup/{name}.html"


@require_POST
@staff_view(Perm.CASE_WORK)
def plan_pause_view(request, case_id: int):
    case = access_case(request.actor, case_id, write=True)
    pause = partial(plan_pause, actor=request.actor, case=case)
    return action_view(
        request, pause, done=gettext("Regular check-ins paused."), then=case_url(case.pk)
    )


# Scheduling, completing, skipping, reassigning.


@staff_view(Perm.CASE_WORK)
def followup_new(request, case_id: int):
    """Schedule a check-in (moving the pending one) or a court accompaniment appointment."""
    posting = request.method == "POST"
    case = access_case(request.actor, case_id, write=posting)
    kind = request.GET.get("kind")
    initial = {"kind": kind} if kind in FollowUpKind.values else None
    form = ScheduleForm(request.POST) if posting else ScheduleForm(initial=initial)
    schedule = partial(followup_schedule, actor=request.actor, case=case)
    return form_view(
        request,
        form,
        lambda d: schedule(**d),
        done=lambda f: f"{f.get_kind_display()} scheduled for {_when(f.due_at)}.",
        then=case_url(case.pk),
        page=Page(_form_template(request, "schedule"), {"case": case}),
    )


def _followup_page(request, template: str, followup, **context) -> Page:
    """A follow-up's own form page; `next` (where it goes after) is kept through a refusal."""
    fallback = case_url(followup.case_id)
    context |= {"followup": followup, "case": followup.case, "next": next_or(request, fallback)}
    return Page(template, context)


@staff_view(Perm.CASE_WORK)
def followup_complete_view(request, followup_id: int):
    """Record a follow-up: done, or tried without reaching the victim, with the contact it was.
    The case page's "Done" button posts here with just the outcome."""
    posting = request.method == "POST"
    followup = access_followup(request.actor, followup_id, write=posting)
    contacts = list(selectors.recent_contacts(followup.case))
    form = CompleteForm(request.POST if posting else None, contacts=contacts)
    page = _followup_page(
        request, "followup/complete.html", followup, done_value=FollowUpOutcome.DONE
    )
    complete = partial(followup_complete, actor=request.actor, followup=followup)
    return form_view(
        request,
        form,
        lambda d: complete(**d),
        done=_done_message,
        then=page.context["next"],
        page=page,
    )


@require_POST
@staff_view(Perm.CASE_WORK)
def followup_skip_view(request, followup_id: int):
    """Skip a check-in (the next is scheduled) or cancel a court appointment."""
    followup = access_followup(request.actor, followup_id, write=True)
    form = SkipForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    skip = partial(followup_skip, actor=request.actor, followup=followup, reason=reason)
    back = next_or(request, case_url(followup.case_id))
    return action_view(request, skip, done=_done_message, then=back)


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

    def done(_):
        holder = followup.specialist
        name = holder.display_name if holder else "whoever takes the case"
        return f"{followup.get_kind_display()} now with {name}."

    page = _followup_page(request, "followup/reassign.html", followup)
    reassign = partial(followup_reassign, actor=request.actor, followup=followup)
    return form_view(
        request, form, lambda d: reassign(**d), done=done, then=page.context["next"], page=page
    )


# The coordinator's rules and settings.


@staff_view(Perm.AGENCY_CONFIGURE)
def rule_list(request):
    current = followup_settings(request.actor.agency)
    form = SettingsForm(
        initial={
            "skip_closed_days": current.skip_closed_days,
            "default_time": current.default_time,
            "version": current.version,
        }
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

    def page(request, form, *, status, done):
        return _rules_page(request, form, status=status)

    save = partial(followup_settings_save, actor=request.actor)
    done = "Saved the follow-up settings."
    return form_view(
        request,
        form,
        lambda d: save(**d),
        done=done,
        then="followup:rules",
        page=page,
        back="followup:rules",
    )


@staff_view(Perm.AGENCY_CONFIGURE)
def rule_new(request):
    return _rule_form(request, rule=None)


@staff_view(Perm.AGENCY_CONFIGURE)
def rule_edit(request, followup_rule_id: int):
    return _rule_form(request, rule=access_followup_rule(request.actor, followup_rule_id))


def _rule_form(request, *, rule):
    form = RuleForm(request.POST or None, initial=RuleForm.initial_for(rule) if rule else None)
    save = partial(followup_rule_save, actor=request.actor, rule=rule)
    return form_view(
        request,
        form,
        lambda d: save(data=dataclass_from(RuleData, d), version=d["version"]),
        done=lambda saved: f"Saved the rule “{saved.name}”.",
        then="followup:rules",
        page=Page("followup/rules/form.html", {"rule": rule}),
    )
