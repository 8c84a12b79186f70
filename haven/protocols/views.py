"""Protocol pages: the coordinator's templates, the checklist buttons on the case page, and
the late steps (the specialist's To do, the supervisor's view)."""

from functools import partial

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from haven.agencies.roles import Perm
from haven.cases.access import access_case
from haven.core.decorators import staff_view
from haven.core.form_views import action_view, stale_edit_page
from haven.core.navigation import next_or
from haven.core.versions import StaleEdit
from haven.protocols import selectors
from haven.protocols.access import access_step, access_template
from haven.protocols.forms import (
    StartForm,
    StepDoneForm,
    StepFormSet,
    StepSkipForm,
    TemplateForm,
    sources_text,
)
from haven.protocols.services import (
    TemplateData,
    protocol_start,
    protocol_templates_start,
    step_done,
    step_skip,
    template_save,
)


def _case_url(case_id: int) -> str:
    return reverse("cases:detail", args=[case_id]) + "#protocols"


@staff_view(Perm.CASE_VIEW)
def template_list(request):
    return render(
        request,
        "protocols/list.html",
        {
            "templates": selectors.templates_of(request.actor),
            "can_edit": request.actor.has(Perm.AGENCY_CONFIGURE),
        },
    )


@require_POST
@staff_view(Perm.AGENCY_CONFIGURE)
def templates_start(request):
    def perform():
        return protocol_templates_start(actor=request.actor)

    def done(added) -> str:
        return f"{len(added)} starting protocols added." if added else "You have them all."

    return action_view(request, perform, done=done, then="protocols:list")


def _initial(template) -> tuple[dict, list[dict]]:
    if template is None:
        return {"is_active": True}, []
    head = {
        "name": template.name,
        "key": template.key,
        "description": template.description,
        "victimizations": template.victimizations,
        "sources": sources_text(template.sources),
        "is_active": template.is_active,
        "version": template.version,
    }
    steps = [
        {
            "key": s.key,
            "title": s.title,
            "role": s.role,
            "after": s.after,
            "due_hours": s.due_hours,
            "services": ", ".join(s.services),
            "notes": s.notes,
        }
        for s in template.steps.all()
    ]
    return head, steps


def _edit(request, template):
    """One page, two forms (the template and its steps): both bound, both valid, then the
    service; its refusal (naming the step) shows at the top of the page."""
    head, steps = _initial(template)
    posting = request.method == "POST"
    form = TemplateForm(request.POST if posting else None, initial=head)
    formset = StepFormSet(request.POST if posting else None, initial=steps, prefix="steps")
    errors: list[str] = []
    if posting and form.is_valid() and formset.is_valid():
        # Blank extra rows have no cleaned data; rows ticked "delete" go.
        rows = [f for f in formset.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
        data = TemplateData(
            key=form.cleaned_data["key"],
            name=form.cleaned_data["name"],
            description=form.cleaned_data["description"],
            victimizations=form.cleaned_data["victimizations"],
            sources=form.source_list(),
            is_active=form.cleaned_data["is_active"],
            steps=[f.step() for f in rows],
        )
        save = partial(template_save, actor=request.actor, data=data, template=template)
        try:
            saved = save(version=form.cleaned_data["version"])
        except StaleEdit as exc:
            steps_now = ", ".join(exc.current.steps.values_list("title", flat=True))
            mine = ", ".join(s.title for s in data.steps)
            more = [("Steps", mine, steps_now)]
            return stale_edit_page(request, form, exc, saved=lambda t: _initial(t)[0], more=more)
        except ValidationError as exc:
            errors = exc.messages
        else:
            messages.success(request, f"Protocol “{saved.name}” saved.")
            return redirect("protocols:list")
    return render(
        request,
        "protocols/edit.html",
        {"form": form, "formset": formset, "template": template, "errors": errors},
        status=400 if posting else 200,
    )


@staff_view(Perm.AGENCY_CONFIGURE)
def template_new(request):
    return _edit(request, None)


@staff_view(Perm.AGENCY_CONFIGURE)
def template_edit(request, template_id: int):
    return _edit(request, access_template(request.actor, template_id))


@staff_view(Perm.CASE_WORK)
def case_start(request, case_id: int):
    """Start a protocol on the case by hand. GET (an audited read): the agency's templates not
    running on it, for htmx the form alone (the case page loads it when "Start a protocol" is
    opened), else on a page of its own."""
    if request.method != "POST":
        case = access_case(request.actor, case_id)
        startable = selectors.startable_templates(case) if case.is_open else []
        template = "protocols/_start_form.html" if request.htmx else "protocols/start.html"
        return render(request, template, {"case": case, "startable": startable})
    case = access_case(request.actor, case_id, write=True)
    form = StartForm(request.POST)

    def perform():
        if not form.is_valid():
            raise ValidationError(gettext("Choose a protocol to start."))
        template = access_template(request.actor, form.cleaned_data["template"])
        return protocol_start(actor=request.actor, case=case, template=template)

    return action_view(
        request, perform, done=lambda protocol: f"{protocol.name} started.", then=_case_url(case.pk)
    )


@require_POST
@staff_view(Perm.CASE_WORK)
def step_done_view(request, step_id: int):
    step = access_step(request.actor, step_id)
    form = StepDoneForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    done = partial(step_done, actor=request.actor, step=step, note=note)
    back = next_or(request, _case_url(step.case_id))
    return action_view(request, done, done=f"Done: {step.title}", then=back)


@require_POST
@staff_view(Perm.CASE_WORK)
def step_skip_view(request, step_id: int):
    step = access_step(request.actor, step_id)
    form = StepSkipForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    skip = partial(step_skip, actor=request.actor, step=step, reason=reason)
    back = next_or(request, _case_url(step.case_id))
    return action_view(request, skip, done=f"Skipped: {step.title}", then=back)


@staff_view(Perm.CASE_WORK)
def late(request):
    everyone = request.actor.has(Perm.CASE_ASSIGN) and request.GET.get("mine") != "1"
    steps = selectors.late_steps(request.actor, everyone=everyone)
    return render(
        request,
        "protocols/late.html",
        {
            "steps": steps,
            "everyone": everyone,
            "can_see_all": request.actor.has(Perm.CASE_ASSIGN),
        },
    )
