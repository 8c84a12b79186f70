"""Whom to call now (every member; built for an officer's phone) and the roster page where
supervisors and coordinators see two weeks of coverage and change it. Each change is a POST to
its own URL; a refused form shows the roster again with its errors."""

from datetime import timedelta
from functools import partial

from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_POST

from haven.agencies.roles import Perm
from haven.audit.models import AuditAction
from haven.audit.services import audit_record
from haven.core.decorators import staff_view
from haven.core.form_views import action_view, form_view
from haven.oncall import selectors, services
from haven.oncall.access import access_holiday, access_shift, access_slot
from haven.oncall.forms import HolidayForm, OverrideForm, PatternSlotForm, SettingsForm, ShiftForm


@staff_view()
@require_GET
def now(request):
    """One answer: whom to call, their phone, until when; the unit's phone as the fallback.
    Shows staff and phone numbers only, never a case or a victim. Audited lightly (who looked,
    and whom they were shown), since the phones are often staff's own mobiles."""
    actor = request.actor
    oncall = selectors.on_call_now(actor.agency)
    audit_record(
        actor=actor,
        action=AuditAction.ONCALL_NOW_VIEW,
        details={"source": oncall.source, "member": oncall.member.pk if oncall.member else None},
    )
    return render(
        request,
        "oncall/now.html",
        {"oncall": oncall, "can_refer": actor.has(Perm.SCENE_REFERRAL)},
    )


def _roster_page(request, status=200, **bound):
    actor = request.actor
    members = selectors.rosterable_members(actor.agency)
    settings = selectors.settings_for(actor.agency)
    today = timezone.localdate()
    monday = today - timedelta(days=today.weekday())
    override_initial = {
        "member": actor.agency.on_call_id,
        "until": timezone.localtime(settings.override_until).strftime("%Y-%m-%dT%H:%M")
        if settings.override_until and settings.override_for_id == actor.agency.on_call_id
        else None,
    }
    forms = {
        "shift_form": ShiftForm(members=members),
        "slot_form": PatternSlotForm(members=members),
        "holiday_form": HolidayForm(members=members),
        "override_form": OverrideForm(members=members, initial=override_initial),
        "settings_form": SettingsForm(
            initial={
                "coverage": settings.coverage,
                "hotline": selectors.phone_and_tel(settings.hotline)[0],
                "version": settings.version,
            }
        ),
    } | bound
    days = selectors.roster_days(actor, monday, 14)
    return render(
        request,
        "oncall/roster.html",
        {
            **forms,
            "now": selectors.on_call_now(actor.agency),
            "weeks": [("This week", days[:7]), ("Next week", days[7:])],
            "today": today,
            "shifts": selectors.shifts_upcoming(actor),
            "slots": selectors.pattern_slots(actor),
            "holidays": selectors.holidays_upcoming(actor),
            "settings": settings,
            "can_configure": actor.has(Perm.AGENCY_CONFIGURE),
        },
        status=status,
    )


@staff_view(Perm.CASE_ASSIGN)
@require_GET
def roster(request):
    return _roster_page(request)


def _roster_form(form_class, service, done: str, perm: Perm = Perm.CASE_ASSIGN):
    """The view a roster form posts to (its own URL): `service(actor=…, **cleaned_data)`, then
    the roster; refused, the roster again with this form and its errors (400). Guarded by
    `perm` (by default the assigning roles') and POST only."""

    @staff_view(perm)
    @require_POST
    def view(request):
        members = {} if form_class is SettingsForm else {"members": _members(request)}
        form = form_class(request.POST, **members)

        def page(request, form, *, status, done):
            return _roster_page(request, status=status, **{f"{form.prefix}_form": form})

        perform = partial(service, actor=request.actor)
        return form_view(
            request,
            form,
            lambda d: perform(**d),
            done=done,
            then="oncall:roster",
            page=page,
            back="oncall:roster",
        )

    return view


def _members(request):
    return selectors.rosterable_members(request.actor.agency)


def _holiday_add(*, date, **data):
    return services.holiday_add(day=date, **data)


shift_new = _roster_form(ShiftForm, services.shift_add, "The shift is on the roster.")
pattern_new = _roster_form(
    PatternSlotForm, services.pattern_slot_add, "The weekly pattern is changed."
)
holiday_new = _roster_form(HolidayForm, _holiday_add, "The holiday is on the roster.")
override = _roster_form(OverrideForm, services.on_call_override_set, "The fallback is saved.")
settings = _roster_form(
    SettingsForm,
    services.oncall_settings_set,
    "The coverage settings are saved.",
    Perm.AGENCY_CONFIGURE,
)


@staff_view(Perm.CASE_ASSIGN)
@require_POST
def shift_remove(request, shift_id: int):
    shift = access_shift(request.actor, shift_id)
    return action_view(
        request,
        lambda: services.shift_remove(actor=request.actor, shift=shift),
        done=f"{shift.member.display_name}'s shift is off the roster.",
        then="oncall:roster",
    )


@staff_view(Perm.CASE_ASSIGN)
@require_POST
def pattern_remove(request, slot_id: int):
    slot = access_slot(request.actor, slot_id)
    return action_view(
        request,
        lambda: services.pattern_slot_remove(actor=request.actor, slot=slot),
        done=gettext("The slot is out of the weekly pattern."),
        then="oncall:roster",
    )


@staff_view(Perm.CASE_ASSIGN)
@require_POST
def holiday_remove(request, holiday_id: int):
    holiday = access_holiday(request.actor, holiday_id)
    return action_view(
        request,
        lambda: services.holiday_remove(actor=request.actor, holiday=holiday),
        done=f"{holiday.name} is off the roster.",
        then="oncall:roster",
    )
