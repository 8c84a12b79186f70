from functools import partial

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from haven.agencies.models import Membership
from haven.agencies.roles import Perm
from haven.audit.models import AuditAction
from haven.cases.access import access_case
from haven.cases.panels import panel_url
from haven.core.decorators import staff_view
from haven.core.form_views import Page, action_view, form_view
from haven.documents.access import access_document
from haven.documents.responses import download_response
from haven.funding import emergency, selectors, services
from haven.funding.access import access_request, access_source
from haven.funding.forms import (
    DecisionForm,
    DepositForm,
    ReceiptForm,
    RequestForm,
    SourceForm,
    SplitForm,
    source_initial,
)
from haven.funding.models import FundDeposit

HOME = "funding:home"


def _case_url(case_id: int) -> str:
    return panel_url(case_id, "funding")


@staff_view(Perm.AGGREGATES_VIEW)
def home(request):
    """Funding sources, emergency funds with their balances and deposits, requests waiting for
    a supervisor, and members' time splits."""
    agency = request.actor.agency
    splits = selectors.splits_by_member(agency)
    members = {m.pk: m for m in Membership.objects.filter(agency=agency).select_related("user")}
    names = dict(selectors.source_choices(agency))
    context = {
        "sources": selectors.sources_for(agency),
        "funds": selectors.funds_for(agency),
        "deposits": FundDeposit.objects.filter(agency=agency).select_related("fund__source")[:20],
        "waiting": selectors.requests_waiting(agency),
        "splits": [
            (members[member_id], day, [(names.get(s), p) for s, p in lines.items()])
            for member_id, periods in splits.items()
            for day, lines in reversed(periods)
            if member_id in members
        ],
        "can_configure": request.actor.has(Perm.AGENCY_CONFIGURE),
    }
    return render(request, "funding/home.html", context)


@staff_view(Perm.AGENCY_CONFIGURE)
def source_edit(request, source_id: int | None = None):
    source = access_source(request.actor, source_id) if source_id else None
    initial = source_initial(source) if source else None
    form = SourceForm(request.POST or None, initial=initial)
    save = partial(services.funding_source_save, actor=request.actor, source=source)
    return form_view(
        request,
        form,
        lambda d: save(**d),
        done=lambda s: f"Saved the funding source {s.name}.",
        then=HOME,
        page=Page("funding/source_edit.html", {"source": source}),
        saved=source_initial,
    )


@staff_view(Perm.AGENCY_CONFIGURE)
def deposit(request):
    agency = request.actor.agency
    form = DepositForm(request.POST or None, agency=agency)
    perform = partial(services.fund_deposit, actor=request.actor)
    return form_view(
        request,
        form,
        lambda d: perform(**d),
        done=lambda d: f"Deposited {services.money(d.amount)} in {d.fund.source.name}'s fund.",
        then=HOME,
        page=Page("funding/deposit.html"),
    )


@staff_view(Perm.AGENCY_CONFIGURE)
def split_set(request):
    agency = request.actor.agency
    members = (
        Membership.objects.filter(agency=agency, is_active=True)
        .select_related("user")
        .order_by("user__last_name", "user__first_name")
    )
    form = SplitForm(request.POST or None, members=members, sources=selectors.sources_for(agency))

    def perform(data):
        member = members.filter(pk=data["member"]).first()
        if member is None:
            raise Http404("No such member.")
        return services.time_split_set(
            actor=request.actor,
            member=member,
            effective_from=data["effective_from"],
            lines=form.lines(),
        )

    return form_view(
        request,
        form,
        perform,
        done=gettext("Time split saved."),
        then=HOME,
        page=Page("funding/split.html"),
    )


@staff_view(Perm.CASE_WORK)
def request_new(request, case_id: int):
    posting = request.method == "POST"
    case = access_case(request.actor, case_id, write=posting)
    form = RequestForm(request.POST or None, request.FILES or None, agency=case.agency)
    perform = partial(emergency.request_create, actor=request.actor, case=case)
    return form_view(
        request,
        form,
        lambda d: perform(**d),
        done=lambda r: (
            f"Requested {services.money(r.amount)} for {r.get_purpose_display()}: "
            "a supervisor will approve it."
        ),
        then=_case_url(case.pk),
        page=Page("funding/request_new.html", {"case": case}),
    )


@staff_view(Perm.CASE_ASSIGN)
def request_decide(request, request_id: int):
    """Approve (button) or decline (with a reason) a waiting request."""
    found = access_request(request.actor, request_id)
    if not emergency.may_decide(request.actor, found):
        raise PermissionDenied(emergency.NOT_YOURS)
    approve = request.POST.get("decision") == "approve"
    form = DecisionForm(request.POST or None)
    perform = partial(emergency.request_decide, actor=request.actor, request=found)
    return form_view(
        request,
        form,
        lambda d: perform(approve=approve, **d),
        done=lambda r: f"{r.get_status_display()}: {r}.",
        then=_case_url(found.case_id),
        page=Page("funding/decide.html", {"found": found, "case": found.case}),
    )


@require_POST
@staff_view(Perm.CASE_ASSIGN)
def request_disburse(request, request_id: int):
    found = access_request(request.actor, request_id)
    return action_view(
        request,
        lambda: emergency.request_disburse(actor=request.actor, request=found),
        done=lambda r: f"Disbursed {services.money(r.amount)} from {r.fund.source.name}'s fund.",
        then=_case_url(found.case_id),
    )


@staff_view(Perm.CASE_VIEW)
def receipt(request, request_id: int):
    """GET: the receipt, a document (audited as its download); POST: attach one (case.work)."""
    found = access_request(request.actor, request_id)
    if request.method == "POST":
        form = ReceiptForm(request.POST, request.FILES)
        perform = partial(emergency.receipt_attach, actor=request.actor, request=found)
        return form_view(
            request,
            form,
            lambda d: perform(**d),
            done=gettext("Receipt attached."),
            then=_case_url(found.case_id),
        )
    if found.receipt_document_id is None:
        raise Http404("No receipt attached.")
    # The documents access path: a privileged document (404 to a volunteer), the download in
    # the access log as document.download, served no-store.
    document = access_document(
        request.actor, found.receipt_document_id, action=AuditAction.DOCUMENT_DOWNLOAD
    )
    return download_response(document)
