"""The lethality screen's pages: record one from a case, read one, record its hotline
follow-up. Officers never reach these (they read no case); their screen comes with the
referral (intake.views)."""

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
from haven.core.form_views import form_view
from haven.core.forms import add_service_errors
from haven.lethality.access import access_screen
from haven.lethality.forms import HotlineForm, ScreenForm, take_screen_errors
from haven.lethality.models import Outcome
from haven.lethality.services import lethality_hotline_record, lethality_screen_record


@staff_view(Perm.CASE_WORK)
def screen_new(request, case_id: int):
    case = access_case(request.actor, case_id, write=request.method == "POST")
    form = ScreenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            screen = lethality_screen_record(
                actor=request.actor,
                case=case,
                screen=form.screen(),
                site_url=request.build_absolute_uri("/"),
            )
        except ValidationError as exc:
            if rest := take_screen_errors(form, exc):
                add_service_errors(form, rest)
        else:
            outcome = Outcome(screen.outcome).label
            if screen.screened_in:
                messages.warning(
                    request,
                    f"High danger: {outcome.lower()}. The case is now high priority and the "
                    "specialists have been alerted. Follow the protocol: connect the victim "
                    "with the domestic violence hotline.",
                )
            else:
                messages.success(request, f"Lethality screen recorded: {outcome.lower()}.")
            return redirect("cases:detail", case_id=case.pk)
    return render(
        request,
        "lethality/screen_new.html",
        {"case": case, "form": form},
        status=400 if form.errors else 200,
    )


def _render_screen(request, screen, form: HotlineForm, status: int = 200):
    return render(
        request,
        "lethality/screen_detail.html",
        {
            "screen": screen,
            "case": screen.case,
            "form": form,
            "can_work": request.actor.has(Perm.CASE_WORK),
        },
        status=status,
    )


@staff_view(Perm.CASE_VIEW)
def screen_detail(request, screen_id: int):
    screen = access_screen(request.actor, screen_id)
    form = HotlineForm(
        initial={
            "hotline_called": screen.hotline_called,
            "victim_spoke_with_hotline": screen.victim_spoke_with_hotline,
            "reason_not_spoke": screen.reason_not_spoke,
        }
    )
    return _render_screen(request, screen, form)


@require_POST
@staff_view(Perm.CASE_WORK)
def hotline_record(request, screen_id: int):
    screen = access_screen(request.actor, screen_id, write=True)
    record = partial(lethality_hotline_record, actor=request.actor, screen=screen)

    def page(request, form, *, status, done):
        return _render_screen(request, screen, form, status=status)

    return form_view(
        request,
        HotlineForm(request.POST),
        lambda d: record(**d),
        done=gettext("Hotline follow-up recorded."),
        then=reverse("cases:detail", kwargs={"case_id": screen.case_id}),
        page=page,
    )
