"""The operator's pages: the agencies of the installation with their counts, a new agency,
suspending and reactivating one. Operators only (is_staff); everyone else gets 403."""

from functools import partial, wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from haven.accounts.selectors import is_operator
from haven.core.form_views import Page, action_view, form_view
from haven.core.middleware import client_ip
from haven.core.navigation import site_root
from haven.lib.quarters import Quarter
from haven.platform import selectors, services, statewide
from haven.platform.forms import AgencyForm, SuspendForm


def operator_view(view):
    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not is_operator(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


@operator_view
def agencies(request):
    return render(request, "platform/agencies.html", {"agencies": selectors.agencies_with_counts()})


@operator_view
def agency_new(request):
    create = partial(
        services.agency_create,
        operator=request.user,
        base_url=site_root(request),
        ip=client_ip(request),
    )
    return form_view(
        request,
        AgencyForm(request.POST or None),
        lambda d: create(**d),
        done=lambda made: (
            f"{made[0].name} is created. The set-up link went to {made[1].email}; it "
            "works once, for 72 hours."
        ),
        then=lambda made: reverse("platform:agency", args=[made[0].pk]),
        page=Page("platform/agency_new.html"),
    )


def _agency_page(request, agency_id: int, *, suspend_form=None, status=200):
    return render(
        request,
        "platform/agency.html",
        {
            "agency": selectors.access_agency(agency_id),
            "suspend_form": suspend_form or SuspendForm(),
        },
        status=status,
    )


@operator_view
def agency_detail(request, agency_id: int):
    return _agency_page(request, agency_id)


@require_POST
@operator_view
def agency_suspend(request, agency_id: int):
    agency = selectors.access_agency(agency_id)
    suspend = partial(
        services.agency_suspend, operator=request.user, agency=agency, ip=client_ip(request)
    )

    def page(request, form, *, status, done=None):
        return _agency_page(request, agency_id, suspend_form=form, status=status)

    return form_view(
        request,
        SuspendForm(request.POST),
        lambda d: suspend(reason=d["reason"]),
        done=f"{agency.name} is suspended. Its data is kept.",
        then=reverse("platform:agency", args=[agency.pk]),
        page=page,
    )


@require_POST
@operator_view
def agency_reactivate(request, agency_id: int):
    agency = selectors.access_agency(agency_id)
    return action_view(
        request,
        lambda: services.agency_reactivate(
            operator=request.user, agency=agency, ip=client_ip(request)
        ),
        done=f"{agency.name} is active again.",
        then=reverse("platform:agency", args=[agency.pk]),
    )


def _statewide_quarter(request) -> tuple[Quarter, str]:
    text = request.GET.get("q", "").strip()
    if not text:
        return Quarter.containing(timezone.localdate()).previous, ""
    try:
        return Quarter.parse(text), ""
    except ValidationError as exc:
        return Quarter.containing(timezone.localdate()).previous, " ".join(exc.messages)


@operator_view
def statewide_view(request):
    """De-identified totals across the agencies for one quarter (haven/platform/statewide.py)."""
    quarter, error = _statewide_quarter(request)
    result = statewide.statewide(operator=request.user, quarter=quarter, ip=client_ip(request))
    return render(
        request,
        "platform/statewide.html",
        {
            "result": result,
            "error": error,
            "small_count": statewide.SMALL_COUNT,
            "min_volunteers": statewide.MIN_VOLUNTEERS,
        },
        status=400 if error else 200,
    )


@operator_view
def statewide_export(request):
    quarter, error = _statewide_quarter(request)
    if error:
        messages.error(request, error)
        return redirect("platform:statewide")
    result = statewide.statewide(
        operator=request.user, quarter=quarter, ip=client_ip(request), export=True
    )
    response = HttpResponse(statewide.statewide_csv(result), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="statewide-{quarter}.csv"'
    return response
