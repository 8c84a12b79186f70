"""Partner referral pages: find a partner service and refer from a case, a referral's page
(send, record the partner's answer, resend or revoke the link, withdraw), the list of
referrals waiting on a partner. The partner's own page behind their link (no sign-in) is
partner_views.py. Every form posts without JavaScript and comes back to the referral's page."""

from functools import partial

from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from haven.agencies.roles import Perm
from haven.cases.access import access_case
from haven.consent.gate import ConsentRefused, consent_in_force
from haven.core.decorators import staff_view
from haven.core.form_views import Page, action_view, form_view
from haven.core.navigation import site_root
from haven.notices.staff_alerts import alerts_for_source
from haven.partners.selectors import (
    local_today,
    mou_in_force,
    mous_in_force_by_org,
    services_search,
)
from haven.referrals import selectors
from haven.referrals.access import access_referral
from haven.referrals.forms import (
    AnswerForm,
    ReferralForm,
    SearchForm,
    WaitingForm,
    WithdrawForm,
)
from haven.referrals.models import ReferralStatus
from haven.referrals.services import (
    disclosure_for,
    referral_answer_record,
    referral_link_resend,
    referral_link_revoke,
    referral_propose,
    referral_send,
    referral_source,
    referral_withdraw,
    shareable_documents,
)


def _detail(referral_id: int):
    return redirect("referrals:detail", referral_id)


def release_url(case, person) -> str:
    """Where to record a release of information for the person on the case (the consent app's
    form), else the person's page."""
    try:
        return reverse("consent:new", args=[case.pk, person.pk])
    except NoReverseMatch:
        return reverse("people:detail", args=[person.pk])


# Referring.


@staff_view(Perm.CASE_WORK)
def refer(request, case_id: int):
    """Find a partner service for someone on the case: by need, language, place, words."""
    actor = request.actor
    case = access_case(actor, case_id)
    form = SearchForm(request.GET or None)
    results = []
    searched = bool(request.GET) and form.is_valid()
    if searched:
        data = {k: v for k, v in form.cleaned_data.items() if v}
        results = list(services_search(actor, **data)[:50])
    mous = mous_in_force_by_org(actor.agency, local_today(actor.agency))
    for service in results:
        service.mou = mous.get(service.organization_id)
    return render(
        request,
        "referrals/refer.html",
        {"case": case, "form": form, "results": results, "searched": searched},
    )


@staff_view(Perm.CASE_WORK)
def refer_to(request, case_id: int, partner_service_id: int):
    """Refer to one service: who, what for, how urgent, what the partner may see."""
    actor = request.actor
    posting = request.method == "POST"
    case = access_case(actor, case_id, write=posting)
    service = services_search(actor, include_inactive=True).filter(pk=partner_service_id).first()
    if service is None:
        raise Http404("No such service.")
    people = selectors.people_to_refer(case)
    by_pk = {p.pk: p for p, _ in people}
    documents = shareable_documents(actor, case)
    form = ReferralForm(
        request.POST if posting else None,
        people=people,
        documents=documents,
        initial={
            "person": case.primary_victim_id,
            "need": request.GET.get("need") or next((n.code for n in service.needs.all()), ""),
        },
    )
    propose = partial(referral_propose, actor=actor, case=case, service=service)

    def perform(d):
        return propose(
            person=by_pk.get(d["person"]),
            need=d["need"],
            categories=d["categories"],
            urgency=d["urgency"],
            message=d["message"],
            documents=d.get("documents", ()),
        )

    def done(referral):
        if referral.status == "consented":
            then = ": a release covers it, send it when ready."
        else:
            then = ". No release covers it yet: record one, then send."
        return f"Referral to {service.organization.name} written{then}"

    context = {"case": case, "service": service, "mou": mou_in_force(service.organization)}
    return form_view(
        request,
        form,
        perform,
        done=done,
        then=lambda referral: reverse("referrals:detail", args=[referral.pk]),
        page=Page("referrals/refer_to.html", context),
        refused_status=200,
    )


# One referral.


@staff_view(Perm.CASE_VIEW)
def referral_detail(request, referral_id: int):
    """The referral: what was shared, its history, the partner's answers, and the actions."""
    actor = request.actor
    referral = access_referral(actor, referral_id)
    case = access_case(actor, referral.case_id)  # audits the read
    [referral] = [r for r in selectors.case_referrals(actor, case) if r.pk == referral.pk]
    answer_form = AnswerForm()
    answer_form.fields["status"].choices = referral.next_answers
    # Before sending: does a release cover it now (one may have been recorded since)? Only
    # asks; sending asks the gate for real.
    covered = None
    if referral.status in (ReferralStatus.PROPOSED, ReferralStatus.CONSENTED):
        covered = consent_in_force(actor=actor, disclosure=disclosure_for(referral))
    return render(
        request,
        "referrals/detail.html",
        {
            "case": case,
            "referral": referral,
            "can_work": actor.has(Perm.CASE_WORK),
            "answer_form": answer_form,
            "covered": covered,
            "withdraw_form": WithdrawForm(),
            "mou": mou_in_force(referral.organization),
            "release_url": release_url(case, referral.person),
            "partner_mail": next(iter(alerts_for_source(referral_source(referral))), None),
        },
    )


def _refused(request, referral, refused: ConsentRefused):
    """The gate said no: why, and where to record the release that would cover it."""
    return render(
        request,
        "referrals/refused.html",
        {
            "referral": referral,
            "case": referral.case,
            "reason": refused.reason,
            "release_url": release_url(referral.case, referral.person),
        },
        status=409,
    )


def _referral_action(request, referral_id: int, service, done, **kwargs):
    """A button on the referral's page: the service, then the page again. Sending (or sending
    a new link) asks the consent gate first; refused, a page says why and where to record the
    release that would cover it (409). `done` is what to say, or makes it from the referral."""
    actor = request.actor
    referral = access_referral(actor, referral_id, write=True)
    perform = partial(service, actor=actor, referral=referral, **kwargs)
    then = reverse("referrals:detail", args=[referral.pk])
    try:
        said = done(referral) if callable(done) else done
        return action_view(request, perform, done=said, then=then)
    except ConsentRefused as refused:
        return _refused(request, referral, refused)


@require_POST
@staff_view(Perm.CASE_WORK)
def send(request, referral_id: int):
    """Send: the consent gate first; refused, the page says why and where to record a release."""
    return _referral_action(request, referral_id, referral_send, _sent, site_url=site_root(request))


def _sent(referral) -> str:
    return f"Sent. {referral.organization.name} was emailed a link (no names in the email)."


@require_POST
@staff_view(Perm.CASE_WORK)
def resend(request, referral_id: int):
    done = "A new link was emailed; the old one no longer works."
    return _referral_action(
        request, referral_id, referral_link_resend, done, site_url=site_root(request)
    )


@require_POST
@staff_view(Perm.CASE_WORK)
def revoke(request, referral_id: int):
    done = "The partner's link no longer works."
    return _referral_action(request, referral_id, referral_link_revoke, done)


def _referral_form(request, referral_id: int, form_class, service, *, done: str, invalid: str):
    """A form on the referral's page (answer, withdraw): `service(**cleaned_data)`, then the page
    again; a refusal is flashed there."""
    referral = access_referral(request.actor, referral_id, write=True)
    perform = partial(service, actor=request.actor, referral=referral)
    then = reverse("referrals:detail", args=[referral.pk])
    form = form_class(request.POST)
    return form_view(request, form, lambda d: perform(**d), done=done, then=then, invalid=invalid)


@require_POST
@staff_view(Perm.CASE_WORK)
def answer(request, referral_id: int):
    """Record the partner's answer as heard on the phone."""
    done, invalid = "The partner's answer is recorded.", "Choose the partner's answer."
    return _referral_form(
        request, referral_id, AnswerForm, referral_answer_record, done=done, invalid=invalid
    )


@require_POST
@staff_view(Perm.CASE_WORK)
def withdraw(request, referral_id: int):
    done = "The referral is withdrawn; the partner's link is off."
    invalid = "Say why the referral is withdrawn."
    return _referral_form(
        request, referral_id, WithdrawForm, referral_withdraw, done=done, invalid=invalid
    )


# The list.


@staff_view(Perm.CASE_VIEW)
def waiting(request):
    """Referrals sent N days ago or more with no answer yet: mine, or everyone's (supervisors)."""
    actor = request.actor
    form = WaitingForm(request.GET or None)
    days = selectors.WAITING_DAYS
    if form.is_bound and form.is_valid() and form.cleaned_data["days"] is not None:
        days = form.cleaned_data["days"]
    rows = selectors.referrals_waiting(actor, days=days)
    return render(
        request,
        "referrals/waiting.html",
        {
            "rows": rows,
            "form": form,
            "days": days,
            "team": selectors.may_see_team(actor),
            "now": timezone.now(),
        },
    )
