"""The call-out pages (list, new, detail with the one-tap time buttons, usable on a phone) and
the anonymous contact pages (list, new). The rules live in services.py."""

from functools import partial

from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from haven.agencies.models import District
from haven.agencies.roles import Perm
from haven.cases.models import Case
from haven.cases.selectors import cases_visible_to, caseworkers
from haven.core.decorators import staff_view
from haven.core.form_views import Page, action_view, form_view
from haven.crisis import selectors, services
from haven.crisis.access import access_callout
from haven.crisis.forms import (
    AnonymousContactForm,
    CallOutForm,
    CancelForm,
    CaseLinkForm,
    OutcomeForm,
)
from haven.crisis.services import REFERRALS, STEPS, CallOutInput


def _detail_url(callout) -> str:
    return reverse("crisis:detail", args=[callout.pk])


def _case_by_number(actor, number: str, field: str = "case_number") -> Case | None:
    number = (number or "").strip()
    if not number:
        return None
    case = cases_visible_to(actor).filter(number__iexact=number).first()
    if case is None:
        raise ValidationError({field: f"No case {number} on the cases you can see."})
    return case


@staff_view(Perm.CASE_VIEW)
def callout_list(request):
    rows = selectors.callout_list(request.actor)
    return render(
        request,
        "crisis/callout_list.html",
        {"callouts": rows, "can_work": request.actor.has(Perm.CASE_WORK)},
    )


def _record(actor, data: dict):
    fields = {k: v for k, v in data.items() if k != "case_number"}
    fields["responders"] = list(data["responders"])
    case = _case_by_number(actor, data["case_number"], "case_number")
    return services.callout_record(actor=actor, data=CallOutInput(**fields, case=case))


@staff_view(Perm.CASE_WORK)
def callout_new(request):
    actor = request.actor
    form = CallOutForm(
        request.POST or None,
        districts=District.objects.filter(agency=actor.agency).order_by("name"),
        caseworkers=caseworkers(actor),
    )
    return form_view(
        request,
        form,
        partial(_record, actor),
        done=gettext("Call-out recorded."),
        then=_detail_url,
        page=Page("crisis/callout_new.html"),
    )


@staff_view(Perm.CASE_VIEW)
def callout_detail(request, callout_id: int):
    callout = access_callout(request.actor, callout_id)
    can_work = request.actor.has(Perm.CASE_WORK)
    return render(
        request,
        "crisis/callout_detail.html",
        {
            "callout": callout,
            "responders": callout.responders.select_related("user"),
            "can_work": can_work,
            "next_steps": [s for s in STEPS if getattr(callout, f"{s}_at") is None],
            "outcome_form": OutcomeForm(
                initial={"outcome": callout.outcome, "note": callout.outcome_note}
            ),
            "link_form": CaseLinkForm(),
            "cancel_form": CancelForm(),
        },
    )


@require_POST
@staff_view(Perm.CASE_WORK)
def callout_stamp(request, callout_id: int, step: str):
    callout = access_callout(request.actor, callout_id, write=True)
    return action_view(
        request,
        lambda: services.callout_stamp(actor=request.actor, callout=callout, step=step),
        done=lambda c: (
            f"{step.capitalize()} at {services.local_time(getattr(c, f'{step}_at'), c.agency.tz)}."
        ),
        then=_detail_url(callout),
    )


def _on_callout(request, callout_id: int, form_class, perform, done):
    """A small form on the call-out page: bind it, call the service, back to the page."""
    callout = access_callout(request.actor, callout_id, write=True)
    return form_view(
        request,
        form_class(request.POST),
        lambda data: perform(actor=request.actor, callout=callout, **data),
        done=done,
        then=_detail_url(callout),
    )


@require_POST
@staff_view(Perm.CASE_WORK)
def callout_outcome(request, callout_id: int):
    return _on_callout(request, callout_id, OutcomeForm, services.callout_outcome, "Outcome saved.")


@require_POST
@staff_view(Perm.CASE_WORK)
def callout_cancel(request, callout_id: int):
    return _on_callout(
        request, callout_id, CancelForm, services.callout_cancel, "Call-out called off."
    )


def _link(*, actor, callout, case_number: str):
    return services.callout_link_case(
        actor=actor, callout=callout, case=_case_by_number(actor, case_number)
    )


@require_POST
@staff_view(Perm.CASE_WORK)
def callout_link(request, callout_id: int):
    return _on_callout(
        request,
        callout_id,
        CaseLinkForm,
        _link,
        lambda c: f"Call-out tied to case {c.case.number}.",
    )


@staff_view(Perm.CASE_WORK)
def contact_list(request):
    rows = selectors.anonymous_contacts(request.actor)[: selectors.LIST_LIMIT]
    return render(request, "crisis/contact_list.html", {"contacts": rows, "referrals": REFERRALS})


@staff_view(Perm.CASE_WORK)
def contact_new(request):
    return form_view(
        request,
        AnonymousContactForm(request.POST or None),
        lambda d: services.anonymous_contact_record(actor=request.actor, **d),
        done=gettext("Anonymous contact recorded."),
        then="crisis:contact_list",
        page=Page("crisis/contact_new.html"),
    )
