"""The outreach pages: the queue of new cases nobody has reached yet (specialists and
supervisors), and the coordinator's outreach rules."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from haven.agencies.roles import Perm
from haven.cases.rows import listed_cases
from haven.cases.selectors import CaseFilters, audit_case_page, caseworkers
from haven.core.decorators import staff_view
from haven.core.form_views import Page, action_view, form_view
from haven.core.forms import dataclass_from
from haven.outreach.forms import OutreachRuleForm
from haven.outreach.queue import auto_assign_queue, outreach_queue
from haven.outreach.selectors import (
    access_outreach_rule,
    agency_districts,
    outreach_rules,
    victims_waiting_for_review,
)
from haven.outreach.services import RuleData, outreach_rule_save, outreach_rules_start
from haven.protocols.selectors import templates_of

QUEUE_ROWS = 200  # the oldest and most urgent; auto-assign takes the whole queue


@staff_view(Perm.CASE_VIEW)
def queue(request):
    unassigned_only = request.GET.get("show") == "unassigned"
    cases = listed_cases(
        outreach_queue(request.actor, unassigned_only=unassigned_only), limit=QUEUE_ROWS + 1
    )
    more_waiting = len(cases) > QUEUE_ROWS  # said on the page: the queue is longer than shown
    cases = cases[:QUEUE_ROWS]
    audit_case_page(
        request.actor, cases, CaseFilters(status="new", assignee="none" if unassigned_only else "")
    )
    return render(
        request,
        "outreach/queue.html",
        {
            "cases": cases,
            "more_waiting": more_waiting,
            "unassigned_only": unassigned_only,
            "can_assign": request.actor.has(Perm.CASE_ASSIGN),
            "waiting_for_review": victims_waiting_for_review(request.actor),
        },
    )


@require_POST
@staff_view(Perm.CASE_ASSIGN)
def queue_auto_assign(request):
    assigned = auto_assign_queue(actor=request.actor)
    if assigned:
        messages.success(
            request, f"{len(assigned)} case{'s' if len(assigned) != 1 else ''} assigned."
        )
    else:
        messages.success(
            request, gettext("No unassigned cases to assign (or no active advocates).")
        )
    return redirect("outreach:queue")


@staff_view(Perm.AGENCY_CONFIGURE)
def rule_list(request):
    return render(request, "outreach/rules.html", {"rules": list(outreach_rules(request.actor))})


@require_POST
@staff_view(Perm.AGENCY_CONFIGURE)
def rules_start(request):
    return action_view(
        request,
        lambda: outreach_rules_start(actor=request.actor),
        done=lambda rules: f"Added {len(rules)} starter rules: check them below.",
        then="outreach:rules",
    )


@staff_view(Perm.AGENCY_CONFIGURE)
def rule_new(request):
    return _rule_form(request, rule=None)


@staff_view(Perm.AGENCY_CONFIGURE)
def rule_edit(request, rule_id: int):
    return _rule_form(request, rule=access_outreach_rule(request.actor, rule_id))


def _rule_form(request, *, rule):
    actor = request.actor
    form = OutreachRuleForm(
        request.POST or None,
        initial=OutreachRuleForm.initial_for(rule) if rule else None,
        districts=agency_districts(actor),
        caseworkers=caseworkers(actor),
        protocols=templates_of(actor).filter(is_active=True),
    )
    return form_view(
        request,
        form,
        lambda data: outreach_rule_save(
            actor=actor,
            data=dataclass_from(RuleData, data),
            rule=rule,
            version=data.get("version"),
        ),
        done=lambda saved: f"Saved the rule “{saved.name}”.",
        then="outreach:rules",
        page=Page("outreach/rule_form.html", {"rule": rule}),
        saved=OutreachRuleForm.initial_for,
    )
