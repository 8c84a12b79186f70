"""The coordinator's Team page (agency.configure): invite, and change one member's role,
district, access or second step. Each is a thin caller of services.py."""

from functools import partial

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from haven.accounts import selectors, services
from haven.accounts.forms import (
    DeactivateForm,
    InviteForm,
    PasswordConfirmForm,
    RoleForm,
    TwoFactorRequireForm,
)
from haven.agencies.forms import MemberDistrictForm
from haven.agencies.models import District
from haven.agencies.roles import CASEWORKER_ROLES, Perm
from haven.core.decorators import staff_view
from haven.core.form_views import action_view, form_view
from haven.core.navigation import site_root


def _districts(actor):
    return District.objects.filter(agency=actor.agency).order_by("code")


def _team_page(request, invite_form=None, *, status=200, done=None):
    actor = request.actor
    return render(
        request,
        "accounts/team.html",
        {
            "rows": selectors.team_rows(actor),
            "invite_form": invite_form or InviteForm(districts=_districts(actor)),
            "two_factor_form": TwoFactorRequireForm(
                initial={"required": actor.agency.require_two_factor}
            ),
        },
        status=status,
    )


@staff_view(Perm.AGENCY_CONFIGURE)
def team(request):
    return _team_page(request)


@require_POST
@staff_view(Perm.AGENCY_CONFIGURE)
def team_invite(request):
    form = InviteForm(request.POST, districts=_districts(request.actor))
    invite = partial(services.invitation_create, actor=request.actor, base_url=site_root(request))
    return form_view(
        request,
        form,
        lambda d: invite(**d)[0],
        done=lambda invitation: (
            f"Invitation sent to {invitation.email}. The link works once, for 72 hours."
        ),
        then="accounts:team",
        page=_team_page,
    )


@require_POST
@staff_view(Perm.AGENCY_CONFIGURE)
def team_two_factor(request):
    form = TwoFactorRequireForm(request.POST)
    form.is_valid()
    required = bool(form.cleaned_data.get("required"))
    services.agency_two_factor_require(actor=request.actor, required=required)
    messages.success(
        request,
        "Two-step sign-in is now required of everyone: each member sets it up at their next "
        "sign-in."
        if required
        else "Two-step sign-in is now each member's choice (unless the installation requires it).",
    )
    return redirect("accounts:team")


def _member_page(request, member, *, status=200, **forms):
    actor = request.actor
    colleagues = selectors.colleagues_for_cases(actor, leaving=member)
    rows = selectors.team_rows(actor, only=member)
    return render(
        request,
        "accounts/member.html",
        {
            "row": rows[0],
            "member": member,
            "role_form": forms.get("role_form") or RoleForm(initial={"role": member.role}),
            "district_form": MemberDistrictForm(
                initial={"district": member.district}, districts=_districts(actor)
            ),
            "deactivate_form": forms.get("deactivate_form")
            or DeactivateForm(colleagues=colleagues),
            "reset_form": forms.get("reset_form") or PasswordConfirmForm(),
            "caseworker_roles": CASEWORKER_ROLES,
        },
        status=status,
    )


@staff_view(Perm.AGENCY_CONFIGURE)
def member(request, member_id: int):
    return _member_page(request, selectors.access_team_member(request.actor, member_id))


def _member_url(member) -> str:
    return reverse("accounts:member", args=[member.pk])


def _member_form(request, member, form_name: str, form, perform, done):
    """One of the member page's forms posted: the service, then back to their page with `done`
    (its {name} is theirs); refused, the page again with this form on its errors (400)."""

    def page(request, form, *, status, done=None):
        return _member_page(request, member, status=status, **{form_name: form})

    said = done.format(name=member.display_name) if isinstance(done, str) else done
    return form_view(request, form, perform, done=said, then=_member_url(member), page=page)


@require_POST
@staff_view(Perm.AGENCY_CONFIGURE)
def member_role(request, member_id: int):
    member = selectors.access_team_member(request.actor, member_id)

    def change(d):
        return services.member_role_change(actor=request.actor, member=member, role=d["role"])

    done = gettext("{name}'s role changed.")
    return _member_form(request, member, "role_form", RoleForm(request.POST), change, done)


@require_POST
@staff_view(Perm.AGENCY_CONFIGURE)
def member_district(request, member_id: int):
    member = selectors.access_team_member(request.actor, member_id)
    form = MemberDistrictForm(request.POST, districts=_districts(request.actor))

    def district_set(d):
        district = d["district"]
        return services.member_district_set(actor=request.actor, member=member, district=district)

    done = gettext("{name}'s district saved.")
    return _member_form(request, member, "district_form", form, district_set, done)


@require_POST
@staff_view(Perm.AGENCY_CONFIGURE)
def member_deactivate(request, member_id: int):
    member = selectors.access_team_member(request.actor, member_id)
    colleagues = selectors.colleagues_for_cases(request.actor, leaving=member)
    form = DeactivateForm(request.POST, colleagues=colleagues)

    def deactivate(d):
        cases_to = d.get("cases_to")
        return services.member_deactivate(actor=request.actor, member=member, cases_to=cases_to)

    def done(departure):
        return f"{member.display_name} is deactivated and signed out everywhere. " + " ".join(
            departure.sentences()
        )

    return _member_form(request, member, "deactivate_form", form, deactivate, done)


@require_POST
@staff_view(Perm.AGENCY_CONFIGURE)
def member_two_factor_reset(request, member_id: int):
    member = selectors.access_team_member(request.actor, member_id)
    form = PasswordConfirmForm(request.POST)

    def reset(d):
        return services.member_two_factor_reset(
            actor=request.actor, member=member, password=d["password"]
        )

    done = gettext(
        "{name}'s two-step sign-in was reset: they set it up again at their next sign-in."
    )
    return _member_form(request, member, "reset_form", form, reset, done)


@require_POST
@staff_view(Perm.AGENCY_CONFIGURE)
def member_reactivate(request, member_id: int):
    member = selectors.access_team_member(request.actor, member_id)
    return action_view(
        request,
        lambda: services.member_reactivate(actor=request.actor, member=member),
        done=gettext("{name} is active again.").format(name=member.display_name),
        then=_member_url(member),
    )


@require_POST
@staff_view(Perm.AGENCY_CONFIGURE)
def member_resend(request, member_id: int):
    member = selectors.access_team_member(request.actor, member_id)
    resend = partial(services.invitation_resend, base_url=site_root(request))
    return action_view(
        request,
        lambda: resend(actor=request.actor, member=member),
        done=gettext("A new link was sent to {name}; older ones no longer work.").format(
            name=member.display_name
        ),
        then=_member_url(member),
    )
