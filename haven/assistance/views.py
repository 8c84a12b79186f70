from functools import partial

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import reverse

from haven.agencies.roles import Perm
from haven.assistance import selectors
from haven.assistance.access import access_service
from haven.assistance.forms import RemoveForm, ServiceForm, blank_service_form
from haven.assistance.services import may_remove, service_provide, service_remove
from haven.cases.access import access_case
from haven.core.decorators import staff_view
from haven.core.form_views import Page, form_view


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
    """The "More…" form as a page of its own (GET; for htmx, the form alone, which the case
    page loads when "More…" is opened), and where every service form posts: a one-tap button,
    the form on the case page, or this page. An htmx post gets the case page's services
    section back; otherwise success goes back to the case page and a mistake shows here, on
    the form."""
    if request.method != "POST":
        case = access_case(request.actor, case_id)  # a read: audited
        form = blank_service_form(case)
        template = (
            "assistance/_service_form.html" if request.htmx else "assistance/service_new.html"
        )
        return render(request, template, {"case": case, "form": form})
    case = access_case(request.actor, case_id, write=True)
    form = ServiceForm(request.POST, people=selectors.people_served(case), agency=case.agency)
    provide = partial(service_provide, actor=request.actor, case=case)

    def done(service):
        return f"Recorded: {service.sub_service_label}, for {service.person.full_name}."

    return form_view(
        request,
        form,
        lambda d: provide(**d),
        done=done,
        then=_case_url(case.pk),
        page=Page("assistance/service_new.html", {"case": case}),
        # htmx: the case page's services section, with the form open on its errors or the
        # success line (htmx swaps only 2xx answers, so both come back 200).
        partial=_SECTION.with_context(case=case),
    )


_SECTION = Page("assistance/_case_section.html", form_name="service_form", done_name="service_done")


@staff_view(Perm.CASE_WORK)
def service_remove_view(request, service_id: int):
    """Remove a mistaken entry, with a reason (GET asks for it)."""
    service = access_service(request.actor, service_id, write=request.method == "POST")
    if not may_remove(request.actor, service):
        raise PermissionDenied(
            "Only the one who recorded this service (within a day) or a supervisor can remove it."
        )
    remove = partial(service_remove, actor=request.actor, service=service)
    return form_view(
        request,
        RemoveForm(request.POST or None),
        lambda d: remove(**d),
        done=f"Removed: {service.sub_service_label}.",
        then=_case_url(service.case_id),
        page=Page("assistance/service_remove.html", {"service": service, "case": service.case}),
    )
