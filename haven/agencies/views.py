"""The coordinator's agency page: settings, districts and who serves which district."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from haven.agencies.forms import AgencySettingsForm, DistrictForm, MemberDistrictForm
from haven.agencies.models import District
from haven.agencies.roles import CASEWORKER_ROLES, Perm
from haven.agencies.selectors import access_member, team
from haven.agencies.services import (
    AgencySettings,
    agency_settings_update,
    district_save,
    membership_set_district,
)
from haven.core.decorators import staff_view
from haven.core.forms import add_service_errors, dataclass_from

HOTLINE_FIELDS = (
    "dv_hotline_name",
    "dv_hotline_phone",
    "dv_hotline_hours",
    "state_hotline_name",
    "state_hotline_phone",
    "state_hotline_hours",
)


def _districts(actor):
    return District.objects.filter(agency=actor.agency).order_by("code")


def _page(request, *, settings_form=None, district_form=None, status=200):
    actor = request.actor
    agency = actor.agency
    settings_form = settings_form or AgencySettingsForm(
        initial={
            "time_zone": agency.time_zone,
            "first_contact_goal_hours": agency.first_contact_goal_hours,
            "advocates_see_own_caseload_only": agency.advocates_see_own_caseload_only,
            "closure_review_required": agency.closure_review_required,
            **{name: getattr(agency, name) for name in HOTLINE_FIELDS},
        }
    )
    districts = _districts(actor)
    members = [
        (
            m,
            MemberDistrictForm(
                initial={"district": m.district}, districts=districts, prefix=f"m{m.pk}"
            ),
        )
        for m in team(actor)
    ]
    return render(
        request,
        "agencies/settings.html",
        {
            "settings_form": settings_form,
            "district_form": district_form or DistrictForm(),
            "districts": districts,
            "members": members,
            "caseworker_roles": CASEWORKER_ROLES,
        },
        status=status,
    )


@staff_view(Perm.AGENCY_CONFIGURE)
def agency_settings(request):
    if request.method != "POST":
        return _page(request)
    form = AgencySettingsForm(request.POST)
    if form.is_valid():
        try:
            agency_settings_update(
                actor=request.actor, settings=dataclass_from(AgencySettings, form.cleaned_data)
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Settings saved.")
            return redirect("agencies:settings")
    return _page(request, settings_form=form, status=400)


@require_POST
@staff_view(Perm.AGENCY_CONFIGURE)
def district_add(request):
    form = DistrictForm(request.POST)
    if form.is_valid():
        try:
            district = district_save(actor=request.actor, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"District {district} added.")
            return redirect("agencies:settings")
    return _page(request, district_form=form, status=400)


@require_POST
@staff_view(Perm.AGENCY_CONFIGURE)
def member_district(request, member_id: int):
    member = access_member(request.actor, member_id)
    form = MemberDistrictForm(
        request.POST, districts=_districts(request.actor), prefix=f"m{member.pk}"
    )
    if form.is_valid():
        try:
            membership_set_district(
                actor=request.actor, member=member, district=form.cleaned_data["district"]
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, f"{member.display_name}: district saved.")
    else:
        messages.error(request, "Choose one of the agency's districts.")
    return redirect("agencies:settings")
