"""The coordinator's agency page: settings, districts and who serves which district."""

from functools import partial

from django.shortcuts import render
from django.utils.translation import gettext
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
from haven.core.form_views import form_view
from haven.core.forms import dataclass_from

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
            "version": agency.version,
            **{name: getattr(agency, name) for name in HOTLINE_FIELDS},
        }
    )
    districts = _districts(actor)
    choices = list(MemberDistrictForm(districts=districts).fields["district"].choices)
    members = [
        (
            m,
            MemberDistrictForm(
                initial={"district": m.district},
                districts=districts,
                choices=choices,
                prefix=f"m{m.pk}",
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


def _page_with(form_name: str):
    """The settings page again with this one form bound (a refused post shows its errors)."""

    def page(request, form, *, status, done):
        return _page(request, status=status, **{form_name: form})

    return page


@staff_view(Perm.AGENCY_CONFIGURE)
def agency_settings(request):
    if request.method != "POST":
        return _page(request)
    update = partial(agency_settings_update, actor=request.actor)
    return form_view(
        request,
        AgencySettingsForm(request.POST),
        lambda d: update(settings=dataclass_from(AgencySettings, d), version=d["version"]),
        done=gettext("Settings saved."),
        then="agencies:settings",
        page=_page_with("settings_form"),
    )


@require_POST
@staff_view(Perm.AGENCY_CONFIGURE)
def district_add(request):
    save = partial(district_save, actor=request.actor)
    return form_view(
        request,
        DistrictForm(request.POST),
        lambda d: save(**d),
        done=lambda district: f"District {district} added.",
        then="agencies:settings",
        page=_page_with("district_form"),
    )


@require_POST
@staff_view(Perm.AGENCY_CONFIGURE)
def member_district(request, member_id: int):
    member = access_member(request.actor, member_id)
    districts = _districts(request.actor)
    form = MemberDistrictForm(request.POST, districts=districts, prefix=f"m{member.pk}")
    set_district = partial(membership_set_district, actor=request.actor, member=member)
    return form_view(
        request,
        form,
        lambda d: set_district(district=d["district"]),
        done=f"{member.display_name}: district saved.",
        then="agencies:settings",
        invalid=gettext("Choose one of the agency's districts."),
    )
