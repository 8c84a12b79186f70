"""The operator's pages: the agencies of the installation with their counts, a new agency,
suspending and reactivating one. Operators only (is_staff); everyone else gets 403."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from haven.accounts.selectors import is_operator
from haven.core.forms import add_service_errors
from haven.core.middleware import client_ip
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
    form = AgencyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            agency, invitation, _link = services.agency_create(
                operator=request.user,
                base_url=request.build_absolute_uri("/").rstrip("/"),
                ip=client_ip(request),
                **form.cleaned_data,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                f"{agency.name} is created. The set-up link went to {invitation.email}; it "
                "works once, for 72 hours.",
            )
            return redirect("platform:agency", agency_id=agency.pk)
    return render(
        request,
        "platform/agency_new.html",
        {"form": form},
        status=400 if request.method == "POST" else 200,
    )


@operator_view
def agency_detail(request, agency_id: int, *, suspend_form=None, status=200):
    return render(
        request,
        "platform/agency.html",
        {
            "agency": selectors.access_agency(agency_id),
            "suspend_form": suspend_form or SuspendForm(),
        },
        status=status,
    )


@require_POST
@operator_view
def agency_suspend(request, agency_id: int):
    agency = selectors.access_agency(agency_id)
    form = SuspendForm(request.POST)
    if form.is_valid():
        try:
            services.agency_suspend(
                operator=request.user,
                agency=agency,
                reason=form.cleaned_data["reason"],
                ip=client_ip(request),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"{agency.name} is suspended. Its data is kept.")
            return redirect("platform:agency", agency_id=agency.pk)
    return agency_detail(request, agency_id, suspend_form=form, status=400)


@require_POST
@operator_view
def agency_reactivate(request, agency_id: int):
    agency = selectors.access_agency(agency_id)
    try:
        services.agency_reactivate(operator=request.user, agency=agency, ip=client_ip(request))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"{agency.name} is active again.")
    return redirect("platform:agency", agency_id=agency.pk)


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
