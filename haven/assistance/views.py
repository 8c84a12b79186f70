from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse

from haven.agencies.roles import Perm
from haven.assistance import selectors
from haven.assistance.access import access_service
from haven.assistance.forms import RemoveForm, ServiceForm, blank_service_form
from haven.assistance.services import may_remove, service_provide, service_remove
from haven.cases.access import access_case
from haven.core.decorators import staff_view
from haven.core.forms import add_service_errors


def _case_url(case_id: int) -> str:
    return reverse("cases:detail", args=[case_id]) + "#services"


@staff_view(Perm.CASE_VIEW)
def service_list(request, case_id: int):
    """Every service given on the case, newest first, 50 to a page."""
    case = access_case(request.actor, case_id)
    services = selectors.services_for_case(request.actor, case)
    page = Paginator(services, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "assistance/service_list.html",
        {"case": case, "page": page, "can_work": request.actor.has(Perm.CASE_WORK)},
    )


@staff_view(Perm.CASE_WORK)
def service_new(request, case_id: int):
    """The "More…" form as a page of its own (GET), and where every service form posts: a
    one-tap button, the form on the case page, or this page. An htmx post gets the case
    page's services section back; otherwise success goes back to the case page and a mistake
    shows here, on the form."""
    if request.method != "POST":
        case = access_case(request.actor, case_id)  # a read: audited
        form = blank_service_form(case)
        return render(request, "assistance/service_new.html", {"case": case, "form": form})
    case = access_case(request.actor, case_id, write=True)
    form = ServiceForm(request.POST, people=selectors.people_served(case))
    if form.is_valid():
        data = form.cleaned_data
        try:
            service = service_provide(
                actor=request.actor,
                case=case,
                sub_service=data["sub_service"],
                person=data["person"],
                provided_at=data["provided_at"],
                duration_minutes=data["duration_minutes"],
                note=data["note"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            done = f"Recorded: {service.sub_service_label}, for {service.person.full_name}."
            if request.htmx:
                return _section(request, case, done=done)
            messages.success(request, done)
            return redirect(_case_url(case.pk))
    if request.htmx:
        # htmx swaps only 2xx answers: the section comes back with the form open on its errors.
        return _section(request, case, form=form)
    return render(request, "assistance/service_new.html", {"case": case, "form": form}, status=400)


def _section(request, case, **extra):
    context = {"case": case, "service_form": extra.get("form"), "service_done": extra.get("done")}
    return render(request, "assistance/_case_section.html", context)


@staff_view(Perm.CASE_WORK)
def service_remove_view(request, service_id: int):
    """Remove a mistaken entry, with a reason (GET asks for it)."""
    service = access_service(request.actor, service_id, write=request.method == "POST")
    if not may_remove(request.actor, service):
        raise PermissionDenied(
            "Only the one who recorded this service (within a day) or a supervisor can remove it."
        )
    form = RemoveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            service_remove(actor=request.actor, service=service, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Removed: {service.sub_service_label}.")
            return redirect(_case_url(service.case_id))
    return render(
        request,
        "assistance/service_remove.html",
        {"service": service, "case": service.case, "form": form},
        status=400 if form.errors else 200,
    )
