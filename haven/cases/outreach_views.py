from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from haven.agencies.roles import Perm
from haven.cases.outreach import auto_assign_queue, outreach_queue
from haven.cases.selectors import CaseFilters, audit_case_page
from haven.core.decorators import staff_view
from haven.incidents.rule_selectors import victims_waiting_for_review


@staff_view(Perm.CASE_VIEW)
def queue(request):
    unassigned_only = request.GET.get("show") == "unassigned"
    cases = list(outreach_queue(request.actor, unassigned_only=unassigned_only)[:200])
    audit_case_page(
        request.actor, cases, CaseFilters(status="new", assignee="none" if unassigned_only else "")
    )
    return render(
        request,
        "cases/queue.html",
        {
            "cases": cases,
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
        messages.success(request, "No unassigned cases to assign (or no active advocates).")
    return redirect("cases:queue")
