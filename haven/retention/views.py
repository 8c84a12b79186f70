from functools import partial

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from haven.agencies.roles import Perm
from haven.audit.models import AuditAction
from haven.audit.services import audit_record
from haven.cases.models import Case
from haven.core.decorators import staff_view
from haven.core.form_views import Page, action_view, error_text, form_error_text, form_view
from haven.people.models import Person
from haven.retention import selectors, services
from haven.retention.access import access_batch, access_certificate, access_hold
from haven.retention.certificate import certificate_lines, certificate_pdf
from haven.retention.forms import HoldForm, ProposeForm, RejectForm, ScheduleForm
from haven.retention.models import RecordKind

HOME = "retention:home"


@staff_view(Perm.RETENTION_PURGE)
def home(request):
    """Schedules, batches waiting and done, and the way to propose one."""
    agency = request.actor.agency
    return render(
        request,
        "retention/home.html",
        {
            "schedules": selectors.schedules_for(agency),
            "batches": selectors.batches_for(agency),
            "propose_form": ProposeForm(),
            "can_schedule": request.actor.has(Perm.RETENTION_SCHEDULE),
        },
    )


@staff_view(Perm.RETENTION_SCHEDULE)
def schedule_edit(request):
    """One kind's schedule (`?kind=closed_case`)."""
    kind = request.GET.get("kind", "")
    if kind not in RecordKind.values:
        return redirect(HOME)
    current = dict((k, s) for k, _label, s in selectors.schedules_for(request.actor.agency))[kind]
    initial = (
        {"years": current.years, "legal_basis": current.legal_basis, "active": current.active}
        if current
        else None
    )
    form = ScheduleForm(request.POST or None, initial=initial)
    save = partial(services.schedule_save, actor=request.actor, kind=kind)
    return form_view(
        request,
        form,
        lambda d: save(**d),
        done=gettext("Saved the schedule."),
        then=HOME,
        page=Page("retention/schedule.html", {"kind": kind, "kind_label": RecordKind(kind).label}),
    )


def _hold_record(actor, data) -> dict:
    if data.get("case_number"):
        case = Case.objects.filter(agency=actor.agency, number=data["case_number"].strip()).first()
        if case is None:
            raise ValidationError(
                {"case_number": gettext("No case of the agency has this number.")}
            )
        return {"case": case}
    person = Person.objects.filter(agency=actor.agency, pk=data["person_id"]).first()
    if person is None:
        raise ValidationError({"person_id": gettext("No person of the agency has this number.")})
    return {"person": person}


@staff_view(Perm.RETENTION_PURGE)
def holds(request):
    actor = request.actor
    form = HoldForm(request.POST or None)

    def place(data):
        return services.hold_place(actor=actor, reason=data["reason"], **_hold_record(actor, data))

    return form_view(
        request,
        form,
        place,
        done=gettext("Placed the legal hold."),
        then="retention:holds",
        page=Page("retention/holds.html", {"holds": selectors.holds_in_force(actor.agency)}),
    )


@require_POST
@staff_view(Perm.RETENTION_PURGE)
def hold_release(request, hold_id: int):
    hold = access_hold(request.actor, hold_id)
    return action_view(
        request,
        lambda: services.hold_release(actor=request.actor, hold=hold),
        done=gettext("Released the legal hold."),
        then="retention:holds",
    )


@require_POST
@staff_view(Perm.RETENTION_PURGE)
def propose(request):
    """List what is due of one kind into a batch; to the batch, or back saying why not."""
    form = ProposeForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_error_text(form))
        return redirect(HOME)
    try:
        found = services.batch_propose(actor=request.actor, kind=form.cleaned_data["kind"])
    except ValidationError as exc:
        messages.error(request, error_text(exc))
        return redirect(HOME)
    if found is None:
        messages.info(request, gettext("Nothing is due."))
        return redirect(HOME)
    messages.success(request, gettext("Proposed. Another supervisor approves."))
    return redirect("retention:batch", found.pk)


@staff_view(Perm.RETENTION_PURGE)
def batch(request, batch_id: int):
    """The records of a batch (by case number or id, never by name), to approve or reject."""
    found = access_batch(request.actor, batch_id)
    audit_record(actor=request.actor, action=AuditAction.PURGE_VIEW, obj=found)
    return render(
        request,
        "retention/batch.html",
        {
            "batch": found,
            "items": found.items.all(),
            "reject_form": RejectForm(),
            "own": found.proposed_by_id == request.actor.membership.pk,
        },
    )


@require_POST
@staff_view(Perm.RETENTION_PURGE)
def batch_approve(request, batch_id: int):
    found = access_batch(request.actor, batch_id)
    return action_view(
        request,
        lambda: services.batch_approve(actor=request.actor, batch=found),
        done=lambda c: f"Destroyed {c.count} record(s). Certificate {c.number}.",
        then=reverse("retention:batch", args=[found.pk]),
    )


@require_POST
@staff_view(Perm.RETENTION_PURGE)
def batch_reject(request, batch_id: int):
    found = access_batch(request.actor, batch_id)
    note = request.POST.get("note", "")
    return action_view(
        request,
        lambda: services.batch_reject(actor=request.actor, batch=found, note=note),
        done=gettext("Rejected: nothing was destroyed."),
        then=reverse("retention:batch", args=[found.pk]),
    )


@staff_view(Perm.RETENTION_CERTIFICATES)
def certificates(request):
    return render(
        request,
        "retention/certificates.html",
        {"certificates": selectors.certificates_for(request.actor.agency)},
    )


@staff_view(Perm.RETENTION_CERTIFICATES)
def certificate(request, certificate_id: int):
    """The printable certificate; `?format=pdf` for the PDF. Each reading is audited."""
    found = access_certificate(request.actor, certificate_id)
    as_pdf = request.GET.get("format") == "pdf"
    audit_record(
        actor=request.actor,
        action=AuditAction.CERTIFICATE_VIEW,
        obj=found,
        details={"format": "pdf" if as_pdf else "page"},
    )
    if as_pdf:
        response = HttpResponse(
            certificate_pdf(found, request.actor.agency.name), content_type="application/pdf"
        )
        response["Content-Disposition"] = f'inline; filename="destruction-{found.number}.pdf"'
        return response
    return render(
        request,
        "retention/certificate.html",
        {"certificate": found, "lines": certificate_lines(found)},
    )
