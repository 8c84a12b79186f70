from functools import partial

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import prefetch_related_objects
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from haven.agencies.roles import Perm
from haven.cases import hooks, selectors
from haven.cases.access import access_case, access_task
from haven.cases.closing import with_next_actions
from haven.cases.closing_views import closing_url
from haven.cases.forms import (
    AssignForm,
    ClosureReviewForm,
    ContactForm,
    NoteForm,
    RelatedPersonForm,
    StatusForm,
    TaskForm,
    case_filters_from,
)
from haven.cases.models import CaseStatus
from haven.cases.page_cache import cached_body
from haven.cases.panels import BY_NAME, CASE_PAGE_RELATED, FORMS, PANELS, blank_form
from haven.cases.reads import may_see_case_reads
from haven.cases.related_people import case_add_new_person
from haven.cases.selectors import caseworkers
from haven.cases.services import (
    case_assign,
    case_change_status,
    case_closure_review,
    contact_log,
    note_add,
    task_add,
    task_complete,
)
from haven.core.decorators import staff_view
from haven.core.form_views import Page, action_view, bind_form, form_view
from haven.core.navigation import next_or
from haven.core.pagination import KeysFirstPaginator


@staff_view(Perm.CASE_VIEW)
def caseload(request):
    cases = with_next_actions(selectors.my_caseload(request.actor))
    return render(request, "cases/caseload.html", {"cases": cases, "now": timezone.now()})


@staff_view(Perm.CASE_VIEW)
def case_list(request):
    workers = list(caseworkers(request.actor))
    form, filters = case_filters_from(request.GET, workers)
    page = KeysFirstPaginator(selectors.case_list(request.actor, filters), 50).get_page(
        request.GET.get("page")
    )
    selectors.audit_case_page(request.actor, list(page), filters)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "cases/case_list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "can_export": request.actor.has(Perm.CASE_EXPORT),
        },
    )


def _case_context(request, case, **forms):
    open_panel = next(
        (name.removesuffix("_form") for name, form in forms.items() if form is not None),
        "contact",
    )
    # Kept in the case's prefetch cache: the follow-up section's matching rule reads them too.
    prefetch_related_objects([case], "victimizations")
    victimizations = sorted(case.victimizations.all(), key=lambda v: v.code)
    return {
        "open_panel": open_panel,
        "case": case,
        "lazy_panels": {panel.name: panel for panel in PANELS},
        # A lazy panel shown open, with its content: where an action in it came back to
        # (panels.panel_url), or a link to it.
        "shown_panel": request.GET.get("panel"),
        "victimizations": [v.get_code_display() for v in victimizations],
        "related_people": selectors.people_on_case(case),
        "contact_points": case.primary_victim.contact_points.all(),
        **_timeline(request, case),
        "tasks": selectors.open_tasks(case),
        "overdue": selectors.overdue(case),
        "can_assign": request.actor.has(Perm.CASE_ASSIGN) and case.is_open,
        "can_see_reads": may_see_case_reads(request.actor, case),
        "now": timezone.now(),
        "open_form": forms.get(f"{open_panel}_form") or blank_form(open_panel, case),
    }


# The case page shows the newest lines of the timeline; a long case's whole history (hundreds
# of lines) is a click away, and was most of the page's rendering time.
TIMELINE_SHOWN = 20


def _timeline(request, case) -> dict:
    if request.GET.get("timeline") == "all":
        return {"timeline": selectors.case_timeline(case, request.actor), "timeline_more": False}
    events = selectors.case_timeline(case, request.actor, newest=TIMELINE_SHOWN)
    return {"timeline": events[:TIMELINE_SHOWN], "timeline_more": len(events) > TIMELINE_SHOWN}


def _render_case(request, case, status=200, **forms):
    """The whole page, or for an htmx request just the case body it swaps in. A plain view's
    body may come from the cache (cases/page_cache.py)."""

    def body():
        context = _case_context(request, case, **forms)
        return render_to_string("cases/_case_body.html", context, request)

    if request.htmx:
        return HttpResponse(body(), status=status)
    shown = body() if forms else cached_body(request, case, body)
    return render(request, "cases/case_detail.html", {"case": case, "body": shown}, status=status)


@staff_view(Perm.CASE_VIEW)
def case_detail(request, case_id: int):
    case = access_case(request.actor, case_id, related=CASE_PAGE_RELATED)
    opened = request.GET.get("form")  # a form opened without JavaScript
    if opened in FORMS:
        return _render_case(request, case, **{f"{opened}_form": blank_form(opened, case)})
    return _render_case(request, case)


@staff_view(Perm.CASE_VIEW)
def case_panel(request, case_id: int, panel: str):
    """One panel the case page loads when it is opened: the panel alone for htmx, else a page
    of its own (without JavaScript the case page links here)."""
    chosen = BY_NAME.get(panel)
    if chosen is None:
        raise Http404("No such panel.")
    case = access_case(request.actor, case_id)
    template = chosen.template if request.htmx else "cases/case_panel.html"
    return render(request, template, {"case": case, "panel": chosen})


@staff_view(Perm.CASE_VIEW)
def case_form(request, case_id: int, form: str):
    """One of the case page's forms, blank, when its section is opened (htmx); without
    JavaScript, the case page with it open."""
    if form not in FORMS:
        raise Http404("No such form.")
    if not request.htmx:
        # The case page it sends to is the audited read; another's case is the same 404.
        if not selectors.cases_visible_to(request.actor).filter(pk=case_id).exists():
            raise Http404("No such case.")
        return redirect(f"{reverse('cases:detail', args=[case_id])}?form={form}")
    case = access_case(request.actor, case_id)
    context = {"case": case, "form": blank_form(form, case)}
    return render(request, f"cases/_{form}_form.html", context)


def _case_action(request, case_id, form_class, form_name, perform, done_message):
    """The shape every case form shares (core/form_views.py): access for writing, validate,
    call the service, then redirect (or re-render the case body for htmx, the flash in it);
    errors stay on the form, shown on the case page."""
    case = access_case(request.actor, case_id, write=True)

    def shows(request, form, *, status, done):
        if done is not None:  # htmx, after success: the case body, fresh, with the flash
            messages.success(request, done)
            case.refresh_from_db()
            return _render_case(request, case)
        return _render_case(request, case, status=status, **{form_name: form})

    return form_view(
        request,
        form_class(request.POST),
        lambda data: perform(case, data),
        done=done_message,
        then=reverse("cases:detail", args=[case.pk]),
        page=shows,
        partial=shows,
    )


@require_POST
@staff_view(Perm.CASE_WORK)
def contact_create(request, case_id: int):
    def perform(case, data):
        contact_log(
            actor=request.actor,
            case=case,
            outcome=data["outcome"],
            channel=data["channel"],
            direction=data["direction"],
            occurred_at=data["occurred_at"],
            attempt_result=data["attempt_result"],
            duration_minutes=data["duration_minutes"],
            summary=data["summary"],
        )

    return _case_action(
        request, case_id, ContactForm, "contact_form", perform, gettext("Contact logged.")
    )


@require_POST
@staff_view(Perm.CASE_WORK)
def note_create(request, case_id: int):
    def perform(case, data):
        note_add(actor=request.actor, case=case, body=data["body"], visibility=data["visibility"])

    return _case_action(request, case_id, NoteForm, "note_form", perform, gettext("Note added."))


@require_POST
@staff_view(Perm.CASE_WORK)
def task_create(request, case_id: int):
    def perform(case, data):
        task_add(actor=request.actor, case=case, title=data["title"], due_at=data["due_at"])

    return _case_action(request, case_id, TaskForm, "task_form", perform, gettext("Task added."))


@require_POST
@staff_view(Perm.CASE_WORK)
def case_status(request, case_id: int):
    if request.POST.get("status") == CaseStatus.CLOSED:
        # Closing goes through the checklist of what is still open (closing.py).
        case = access_case(request.actor, case_id, write=True)
        if hooks.open_items(case):
            post = request.POST
            return redirect(
                closing_url(case.pk, post.get("close_reason", ""), post.get("reason", ""))
            )

    def perform(case, data):
        case_change_status(
            actor=request.actor,
            case=case,
            status=data["status"],
            reason=data["reason"],
            close_reason=data["close_reason"],
        )

    return _case_action(
        request, case_id, StatusForm, "status_form", perform, gettext("Status changed.")
    )


@require_POST
@staff_view(Perm.CASE_WORK)
def related_person_create(request, case_id: int):
    def perform(case, data):
        case_add_new_person(actor=request.actor, case=case, **data)

    return _case_action(
        request,
        case_id,
        RelatedPersonForm,
        "person_form",
        perform,
        gettext("Person added to the case."),
    )


@require_POST
@staff_view(Perm.CASE_WORK)
def task_done(request, task_id: int):
    task = access_task(request.actor, task_id)
    return action_view(
        request,
        lambda: task_complete(actor=request.actor, task=task),
        done=f"Done: {task.title}",
        then=next_or(request, reverse("cases:detail", args=[task.case_id])),
    )


@staff_view(Perm.CASE_ASSIGN)
def case_assign_view(request, case_id: int):
    # The form shows the case: a GET is a read (audited by access_case), a POST a write.
    case = access_case(request.actor, case_id, write=request.method == "POST")
    workers = caseworkers(request.actor)
    initial = {"assignee": case.assigned_to}
    form = bind_form(request, AssignForm, caseworkers=workers, initial=initial)
    assign = partial(case_assign, actor=request.actor, case=case)

    def done(_result):
        who = case.assigned_to.display_name if case.assigned_to else "nobody"
        return f"Case {case.number} is now with {who}."

    return form_view(
        request,
        form,
        lambda d: assign(assignee=d["assignee"], reason=d["reason"]),
        done=done,
        then=reverse("cases:detail", args=[case.pk]),
        page=Page("cases/assign.html", {"case": case}),
    )


@require_POST
@staff_view(Perm.CASE_WORK)
def case_take(request, case_id: int):
    """A specialist takes an unassigned case from the queue."""
    case = access_case(request.actor, case_id, write=True)
    return action_view(
        request,
        lambda: case_assign(actor=request.actor, case=case, assignee=request.actor.membership),
        done=f"Case {case.number} is now on your caseload.",
        then=reverse("cases:detail", args=[case.pk]),
    )


@staff_view(Perm.SERVED_STATUS)
def served(request):
    report_number = request.GET.get("report_number", "")
    last_name = request.GET.get("last_name", "")
    rows = selectors.served_status(request.actor, report_number=report_number, last_name=last_name)
    return render(
        request,
        "cases/served.html",
        {
            "rows": rows,
            "searched": bool(report_number.strip() or last_name.strip()),
            "report_number": report_number,
            "last_name": last_name,
        },
    )


@staff_view(Perm.AGGREGATES_VIEW)
def overview(request):
    data = selectors.agency_overview(request.actor)
    return render(request, "cases/overview.html", {"overview": data})


@staff_view(Perm.CASE_ASSIGN)
def closing_reviews(request):
    cases = list(selectors.closings_to_review(request.actor)[:200])
    selectors.audit_case_page(request.actor, cases, selectors.CaseFilters(status="closing_review"))
    return render(request, "cases/closing_reviews.html", {"cases": cases})


@require_POST
@staff_view(Perm.CASE_ASSIGN)
def closing_review(request, case_id: int):
    case = access_case(request.actor, case_id, write=True)
    form = ClosureReviewForm(request.POST)
    if form.is_valid():
        try:
            case_closure_review(
                actor=request.actor,
                case=case,
                approve=form.cleaned_data["decision"] == "approve",
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            messages.error(request, f"Case {case.number}: {' '.join(exc.messages)}")
        else:
            done = "approved" if form.cleaned_data["decision"] == "approve" else "returned"
            messages.success(request, f"Case {case.number}: closing {done}.")
    else:
        messages.error(request, f"Case {case.number}: choose approve or return.")
    return redirect("cases:closing_reviews")
