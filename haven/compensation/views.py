from functools import partial

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from haven.agencies.roles import Perm
from haven.cases.access import access_case
from haven.compensation import packet as packets
from haven.compensation.access import access_claim, access_expense, access_restitution
from haven.compensation.forms import (
    ClaimForm,
    DocumentsForm,
    ExpenseForm,
    PaymentForm,
    RestitutionOrderForm,
    RestitutionPaymentForm,
    StatusForm,
)
from haven.compensation.models import ENDED, TRANSITIONS, Claim
from haven.compensation.programs import program, program_codes
from haven.compensation.selectors import claim_overview, deadline_list, people_on_case
from haven.compensation.services import (
    claim_create,
    claim_packet,
    claim_payment_record,
    claim_set_status,
    claim_update,
    expense_add,
    expense_update,
    restitution_close,
    restitution_order_create,
    restitution_payment_record,
)
from haven.core.decorators import staff_view
from haven.core.form_views import Page, action_view, bind_form, form_view
from haven.people.models import LANGUAGES


@staff_view(Perm.CASE_VIEW)
def claim_list(request):
    """The specialist's open claims by next deadline; ?all=1 for those who assign cases."""
    everyone = request.GET.get("all") == "1" and request.actor.has(Perm.CASE_ASSIGN)
    return render(
        request,
        "compensation/list.html",
        {
            "rows": deadline_list(request.actor, everyone=everyone),
            "everyone": everyone,
            "can_see_all": request.actor.has(Perm.CASE_ASSIGN),
        },
    )


def _person(people, person_id):
    return next((p for p, _ in people if p.pk == person_id), None)


@staff_view(Perm.CASE_WORK)
def claim_new(request, case_id: int):
    case = access_case(request.actor, case_id, write=request.method == "POST")
    people = people_on_case(case)
    code = request.POST.get("program") or program_codes()[0]
    prog = program(code if code in program_codes() else program_codes()[0])
    initial = {"claimant": case.primary_victim_id, "claimant_relation": "victim"}
    form = bind_form(request, ClaimForm, prog=prog, people=people, initial=initial)
    create = partial(claim_create, actor=request.actor, case=case, program=prog.code)
    return form_view(
        request,
        form,
        lambda d: create(claimant=_person(people, d["claimant"]), **form.facts()),
        done=gettext("Claim started. Add the expenses next."),
        then=lambda claim: reverse("compensation:claim", kwargs={"claim_id": claim.pk}),
        page=Page("compensation/claim_form.html", {"case": case}),
    )


@staff_view(Perm.CASE_WORK)
def claim_edit(request, claim_id: int):
    claim = access_claim(request.actor, claim_id, write=request.method == "POST")
    prog = program(claim.program)
    form = bind_form(
        request,
        ClaimForm,
        prog=prog,
        initial=lambda: {name: getattr(claim, name) for name in ClaimForm(prog=prog).fields},
    )
    update = partial(claim_update, actor=request.actor, claim=claim)
    return form_view(
        request,
        form,
        lambda d: update(version=d["version"], **form.facts()),
        done=gettext("Claim saved."),
        then=_claim_url(claim),
        page=Page("compensation/claim_form.html", {"case": claim.case, "claim": claim}),
    )


def _claim_url(claim: Claim) -> str:
    return reverse("compensation:claim", kwargs={"claim_id": claim.pk})


def _on_claim_page(claim: Claim, key: str):
    """The claim's page again with this form (under `key`) and its errors."""

    def page(request, form, *, status, done):
        return _claim_page(request, claim, forms={key: form}, status=status)

    return page


def _claim_page(request, claim: Claim, *, forms=None, status=200):
    overview = claim_overview(claim)
    prog = overview.program
    can_work = request.actor.has(Perm.CASE_WORK) and claim.status not in ENDED
    forms = forms or {}
    expenses = [
        (
            e,
            prog.categories.get(e.category),
            forms.get(f"expense-{e.pk}")
            or DocumentsForm(
                prog=prog,
                category=e.category,
                prefix=f"e{e.pk}",
                initial={"documents_received": e.documents_received},
            ),
        )
        for e in claim.expenses.all()
    ]
    return render(
        request,
        "compensation/claim_detail.html",
        {
            "claim": claim,
            "case": claim.case,
            "o": overview,
            "expenses": expenses,
            "history": claim.history.select_related("by__user"),
            "payments": claim.payments.all(),
            "can_work": can_work,
            "expense_form": forms.get("expense") or ExpenseForm(prog=prog),
            "status_form": (
                forms.get("status") or StatusForm(status=claim.status)
                if TRANSITIONS[claim.status]
                else None
            ),
            "payment_form": forms.get("payment")
            or PaymentForm(prog=prog, initial={"payee": claim.claimant.full_name}),
            "category_labels": {c.code: c.label for c in prog.categories.values()},
            "languages": [(c, n) for c, n in LANGUAGES if c in packets.letter_languages()],
        },
        status=status,
    )


@staff_view(Perm.CASE_VIEW)
def claim_detail(request, claim_id: int):
    return _claim_page(request, access_claim(request.actor, claim_id))


@require_POST
@staff_view(Perm.CASE_WORK)
def claim_status(request, claim_id: int):
    claim = access_claim(request.actor, claim_id, write=True)
    form = StatusForm(request.POST, status=claim.status)
    set_status = partial(claim_set_status, actor=request.actor, claim=claim)

    def done(change):
        told = " The claimant will be told." if change.notified else ""
        return f"Claim is now {change.get_to_status_display()}.{told}"

    page = _on_claim_page(claim, "status")
    then = _claim_url(claim)
    return form_view(request, form, lambda d: set_status(**d), done=done, then=then, page=page)


@require_POST
@staff_view(Perm.CASE_WORK)
def claim_expense_add(request, claim_id: int):
    claim = access_claim(request.actor, claim_id, write=True)
    form = ExpenseForm(request.POST, prog=program(claim.program))
    add = partial(expense_add, actor=request.actor, claim=claim)
    page, then = _on_claim_page(claim, "expense"), _claim_url(claim)
    return form_view(
        request, form, lambda d: add(**d), done=gettext("Expense added."), then=then, page=page
    )


@require_POST
@staff_view(Perm.CASE_WORK)
def claim_expense_update(request, expense_id: int):
    expense = access_expense(request.actor, expense_id)
    claim = expense.claim
    prog = program(claim.program)
    form = DocumentsForm(
        request.POST, prog=prog, category=expense.category, prefix=f"e{expense.pk}"
    )
    update = partial(expense_update, actor=request.actor, expense=expense)
    page = _on_claim_page(claim, f"expense-{expense.pk}")
    return form_view(
        request,
        form,
        lambda d: update(**d),
        done=gettext("Expense saved."),
        then=_claim_url(claim),
        page=page,
    )


@require_POST
@staff_view(Perm.CASE_WORK)
def claim_payment(request, claim_id: int):
    claim = access_claim(request.actor, claim_id, write=True)
    record = partial(claim_payment_record, actor=request.actor, claim=claim)
    form = PaymentForm(request.POST, prog=program(claim.program))
    done, then = "Payment recorded.", _claim_url(claim)
    page = _on_claim_page(claim, "payment")
    return form_view(request, form, lambda d: record(**d), done=done, then=then, page=page)


@staff_view(Perm.CASE_VIEW)
def claim_packet_pdf(request, claim_id: int):
    """The packet as a PDF download (audited as compensation.packet); ?lang= picks the cover
    letter's language, else the claimant's."""
    claim = access_claim(request.actor, claim_id, audit=False)
    asked = request.GET.get("lang", "")
    data = claim_packet(actor=request.actor, claim=claim, language=asked if asked.isalpha() else "")
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="compensation-claim-{claim.pk}.pdf"'
    response["Cache-Control"] = "no-store"
    return response


@staff_view(Perm.CASE_WORK)
def restitution_new(request, case_id: int):
    case = access_case(request.actor, case_id, write=request.method == "POST")
    people = people_on_case(case)
    initial = {"payee": case.primary_victim_id}
    form = bind_form(request, RestitutionOrderForm, people=people, initial=initial)
    create = partial(restitution_order_create, actor=request.actor, case=case)
    return form_view(
        request,
        form,
        lambda d: create(**(d | {"payee": _person(people, d["payee"])})),
        done=gettext("Restitution order recorded."),
        then=lambda order: reverse("compensation:restitution", kwargs={"order_id": order.pk}),
        page=Page("compensation/restitution_form.html", {"case": case}),
    )


def _restitution_page(request, order, *, form=None, status=200):
    return render(
        request,
        "compensation/restitution_detail.html",
        {
            "order": order,
            "case": order.case,
            "payments": order.payments.all(),
            "form": form or RestitutionPaymentForm(),
            "can_work": request.actor.has(Perm.CASE_WORK) and order.status == "open",
        },
        status=status,
    )


@staff_view(Perm.CASE_VIEW)
def restitution_detail(request, order_id: int):
    return _restitution_page(request, access_restitution(request.actor, order_id))


@require_POST
@staff_view(Perm.CASE_WORK)
def restitution_payment(request, order_id: int):
    order = access_restitution(request.actor, order_id, write=True)
    form = RestitutionPaymentForm(request.POST)
    record = partial(restitution_payment_record, actor=request.actor, order=order)

    def page(request, form, *, status, done):
        return _restitution_page(request, order, form=form, status=status)

    return form_view(
        request,
        form,
        lambda d: record(**d),
        done=lambda payment: f"Payment recorded; the balance is ${payment.balance_after:,.2f}.",
        then=reverse("compensation:restitution", kwargs={"order_id": order.pk}),
        page=page,
    )


@require_POST
@staff_view(Perm.CASE_WORK)
def restitution_close_view(request, order_id: int):
    order = access_restitution(request.actor, order_id, write=True)
    reason = request.POST.get("reason", "")
    close = partial(restitution_close, actor=request.actor, order=order, reason=reason)
    then = reverse("compensation:restitution", kwargs={"order_id": order.pk})
    return action_view(request, close, done=gettext("Order closed."), then=then)
