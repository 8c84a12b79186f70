"""The intake pages: the specialist's new case; the officer's referral from the scene (a
phone-sized form, then a receipt); and the page where a supervisor says who is on call for scene
referrals. The rules live in services.py and scene_referral.py."""

from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse

from haven.agencies.roles import Perm
from haven.cases.selectors import caseworkers
from haven.core.decorators import staff_view
from haven.core.form_views import Page, form_view
from haven.core.forms import add_service_errors, dataclass_from
from haven.intake.forms import NewCaseForm, OnCallForm, SceneReferralForm
from haven.intake.scene_referral import (
    ReferredVictim,
    agency_set_on_call,
    officer_referral_open,
    on_call_specialist,
    referral_receipt,
)
from haven.intake.services import NewCase, NewVictim, case_intake
from haven.intake.victim_card import CARD_LANGUAGES, CARD_NAMES, victim_card
from haven.lethality.forms import ScreenForm, take_screen_errors

# The receipt is found through the session, never the URL: no case id to guess or share.
RECEIPT_KEY = "referral_receipt_case"

# The lethality screen's fields in the referral form: "lethality-q1", "lethality-declined", ...
SCREEN_PREFIX = "lethality"


@staff_view(Perm.CASE_CREATE)
def case_new(request):
    """The specialist's intake: a new victim and their case, on the specialist's caseload."""
    form = NewCaseForm(request.POST or None)
    return form_view(
        request,
        form,
        lambda data: case_intake(
            actor=request.actor,
            victim=dataclass_from(NewVictim, data),
            case=dataclass_from(NewCase, data),
        ),
        done=lambda case: f"Case {case.number} opened and on your caseload.",
        then=lambda case: reverse("cases:detail", args=[case.pk]),
        page=Page("intake/case_new.html"),
    )


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
    context = {"receipt": receipt, "card": card, "card_languages": CARD_NAMES.items()}
    return render(request, "intake/scene_referral_received.html", context)


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
