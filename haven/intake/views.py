"""The intake pages: the specialist's new case; the officer's referral from the scene (a
phone-sized form, then a receipt); and the page where a supervisor says who is on call for scene
referrals. The rules live in services.py and scene_referral.py."""

from functools import partial

from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from haven.agencies.roles import Perm
from haven.cases.models import CaseSource
from haven.cases.selectors import caseworkers
from haven.core.decorators import staff_view
from haven.core.form_views import Page, form_view
from haven.core.forms import add_service_errors, dataclass_from
from haven.crisis.access import access_callout
from haven.crisis.services import callout_link_case
from haven.intake.card_text import card_text_state, victim_card_text_send
from haven.intake.forms import NewCaseForm, OnCallForm, SceneReferralForm
from haven.intake.scene_referral import (
    ReferredVictim,
    SpecialistRequest,
    agency_set_on_call,
    officer_referral_open,
    on_call_specialist,
    referral_receipt,
    referred_case,
)
from haven.intake.services import NewCase, NewVictim, case_intake
from haven.intake.victim_card import CARD_LANGUAGES, CARD_NAMES, victim_card
from haven.lethality.forms import ScreenForm, take_screen_errors

# The receipt is found through the session, never the URL: no case id to guess or share.
RECEIPT_KEY = "referral_receipt_case"

# The lethality screen's fields in the referral form: "lethality-q1", "lethality-declined", ...
SCREEN_PREFIX = "lethality"


# The call-out a case is opened from (haven.crisis): ?callout=ID on the new-case page.
CALLOUT_SOURCE = {"officer": CaseSource.OFFICER_REFERRAL, "hotline": CaseSource.HOTLINE}


def _open_case(actor, data: dict, callout=None):
    with transaction.atomic():
        case = case_intake(
            actor=actor, victim=dataclass_from(NewVictim, data), case=dataclass_from(NewCase, data)
        )
        if callout is not None:
            callout_link_case(actor=actor, callout=callout, case=case)
    return case


@staff_view(Perm.CASE_CREATE)
def case_new(request):
    """The specialist's intake: a new victim and their case, on the specialist's caseload.
    Opened from a call-out (?callout=ID), the case is tied to it in the same transaction."""
    callout_id = request.GET.get("callout")
    callout = access_callout(request.actor, callout_id, write=True) if callout_id else None
    initial = {}
    if callout is not None:
        initial = {
            "received_at": timezone.localtime(callout.requested_at).strftime("%Y-%m-%dT%H:%M"),
            "source": CALLOUT_SOURCE.get(callout.requested_by, CaseSource.PARTNER),
        }
    form = NewCaseForm(request.POST or None, initial=initial)
    return form_view(
        request,
        form,
        partial(_open_case, request.actor, callout=callout),
        done=lambda case: f"Case {case.number} opened and on your caseload.",
        then=lambda case: reverse("cases:detail", args=[case.pk]),
        page=Page("intake/case_new.html", {"callout": callout}),
    )


def _specialist(data: dict) -> SpecialistRequest | None:
    if not data["specialist_needed"]:
        return None
    return SpecialistRequest(data["callout_place"], data["callout_place_detail"])


@staff_view(Perm.SCENE_REFERRAL)
def scene_referral(request):
    form = SceneReferralForm(request.POST or None)
    # The optional lethality screen: its own fields, under their own prefix, in the same form.
    screen_form = ScreenForm(request.POST or None, prefix=SCREEN_PREFIX)
    if request.method == "POST" and all([form.is_valid(), screen_form.is_valid()]):
        data = form.cleaned_data
        try:
            case = officer_referral_open(
                actor=request.actor,
                victim=dataclass_from(ReferredVictim, data),
                victimizations=data["victimizations"],
                consent=data["consent"],
                urgent=data["urgent"],
                report_number=data["report_number"],
                note=data["note"],
                lethality=screen_form.screen() if screen_form.given() else None,
                specialist=_specialist(data),
                site_url=request.build_absolute_uri("/"),
            )
        except ValidationError as exc:
            if rest := take_screen_errors(screen_form, exc):
                add_service_errors(form, rest)
        else:
            request.session[RECEIPT_KEY] = case.pk
            return redirect("intake:scene_referral_received")
    common, rest = form.victimization_options()
    failed = bool(form.errors or screen_form.errors)
    return render(
        request,
        "intake/scene_referral_new.html",
        {
            "form": form,
            "screen_form": screen_form,
            "screen_open": screen_form.is_bound and (screen_form.errors or screen_form.given()),
            "common_types": common,
            "other_types": rest,
        },
        status=400 if failed else 200,
    )


@staff_view(Perm.SCENE_REFERRAL)
def scene_referral_received(request):
    """The receipt of the member's last referral in this session; without one, the form."""
    case_id = request.session.get(RECEIPT_KEY)
    if case_id is None:
        return redirect("intake:scene_referral")
    return _receipt_page(request, case_id)


def _receipt_page(request, case_id, *, error: str = "", status: int = 200):
    receipt = referral_receipt(request.actor, case_id)
    asked = request.GET.get("card", "")
    language = asked if asked in CARD_LANGUAGES else receipt.victim_language
    card = victim_card(
        language,
        unit=receipt.unit_name,
        number=receipt.case_number,
        specialist=receipt.specialist,
        phone=receipt.specialist_phone or receipt.unit_phone,
    )
    context = {
        "receipt": receipt,
        "card": card,
        "card_languages": CARD_NAMES.items(),
        "card_text": card_text_state(
            actor=request.actor, case=referred_case(request.actor, case_id)
        ),
        "card_text_error": error,
    }
    return render(request, "intake/scene_referral_received.html", context, status=status)


@require_POST
@staff_view(Perm.SCENE_REFERRAL)
def scene_referral_card_text(request):
    """Send the card to the victim as a text (card_text.victim_card_text_send), from the
    receipt: the case is the session's last referral, never one named in the request."""
    case_id = request.session.get(RECEIPT_KEY)
    if case_id is None:
        return redirect("intake:scene_referral")
    case = referred_case(request.actor, case_id)
    try:
        victim_card_text_send(
            actor=request.actor, case=case, consent_now=request.POST.get("consent_now") == "on"
        )
    except ValidationError as exc:
        return _receipt_page(request, case_id, error=" ".join(exc.messages), status=400)
    return redirect(reverse("intake:scene_referral_received") + "#card-text")


@staff_view(Perm.CASE_ASSIGN)
def on_call(request):
    actor = request.actor
    current = on_call_specialist(actor.agency)
    form = OnCallForm(
        request.POST or None,
        caseworkers=caseworkers(actor),
        initial={"on_call": current, "phone": actor.agency.phone},
    )
    return form_view(
        request,
        form,
        lambda data: agency_set_on_call(actor=actor, on_call=data["on_call"], phone=data["phone"]),
        done=lambda _: (
            f"{who.display_name} is on call."
            if (who := form.cleaned_data["on_call"])
            else "Nobody is on call now."
        ),
        then="intake:on_call",
        page=Page("intake/on_call.html", {"current": current}),
    )
