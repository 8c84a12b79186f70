"""Releases of information on the case page: record one, see it, revoke it, print the form;
the specialist's "expiring soon" list; the agency's settings."""

from datetime import timedelta
from functools import partial

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from haven.agencies.roles import Perm
from haven.audit.models import AuditAction
from haven.audit.services import audit_record
from haven.cases.access import access_case
from haven.cases.forms import case_filters_from
from haven.cases.panels import panel_url
from haven.cases.selectors import case_list, caseworkers
from haven.consent.access import access_case_person, access_release
from haven.consent.case_export import case_list_csv
from haven.consent.export_form import export_choices, export_recipient
from haven.consent.forms import ConsentSettingsForm, ReleaseForm, RevokeForm
from haven.consent.pdf import form_languages, release_pdf
from haven.consent.selectors import releases_expiring, settings_for
from haven.consent.services import (
    consent_settings_save,
    is_minor,
    proposed_expiry,
    release_record,
    release_revoke,
)
from haven.core.decorators import staff_view
from haven.core.form_views import Page, bind_form, form_view
from haven.core.sudo import sudo_required


def _case_url(case) -> str:
    return panel_url(case.pk, "releases")


@staff_view(Perm.CASE_WORK)
def release_new(request, case_id: int, person_id: int):
    """Record a release the person signed on paper, or take their electronic signature."""
    case, person = access_case_person(request.actor, case_id, person_id, write=True)
    if request.method != "POST":
        access_case(request.actor, case.pk)  # the form shows the case and person: audit the read
    agency = request.actor.agency
    conf = settings_for(agency)
    today = timezone.localdate(timezone=agency.tz)
    form = bind_form(
        request,
        ReleaseForm,
        agency=agency,
        initial=lambda: {
            "method": "paper",
            "signed_on": today,
            "expires_on": proposed_expiry(agency, signed=today),
            "signer_relation": "guardian" if is_minor(person, today) else "self",
        },
    )
    record = partial(release_record, actor=request.actor, case=case, person=person)
    context = {
        "case": case,
        "person": person,
        "conf": conf,
        "minor": is_minor(person, today),
        "latest": today + timedelta(days=conf.max_days),
        "languages": form_languages(),
        "form_fell_back": person.preferred_language not in form_languages(),
    }
    return form_view(
        request,
        form,
        lambda d: record(**d),
        done=lambda release: f"Release to {release.recipient_label} recorded for {person}.",
        then=_case_url(case),
        page=Page("consent/release_form.html", context),
    )


@staff_view(Perm.CASE_VIEW)
def release_detail(request, case_id: int, release_id: int):
    case, release = access_release(request.actor, case_id, release_id)
    audit_record(
        actor=request.actor,
        action=AuditAction.CASE_VIEW,
        obj=release,
        details={"case": case.pk, "person": release.person_id},
    )
    return render(
        request,
        "consent/release_detail.html",
        {
            "case": case,
            "release": release,
            "form": RevokeForm(),
            "can_revoke": request.actor.has(Perm.CASE_WORK) and release.revoked_at is None,
            "languages": form_languages(),
        },
    )


@require_POST
@staff_view(Perm.CASE_WORK)
def release_revoke_view(request, case_id: int, release_id: int):
    case, release = access_release(request.actor, case_id, release_id, write=True)
    revoke = partial(release_revoke, actor=request.actor, release=release)
    context = {"case": case, "release": release, "can_revoke": True}
    return form_view(
        request,
        RevokeForm(request.POST),
        lambda d: revoke(**d),
        done=f"Release to {release.recipient_label} revoked.",
        then=_case_url(case),
        page=Page("consent/release_detail.html", context),
    )


def _pdf_response(request, *, case, person, release, language):
    audit_record(
        actor=request.actor,
        action=AuditAction.CONSENT_FORM,
        obj=release or person,
        details={"case": case.pk, "person": person.pk, "language": language},
    )
    data = release_pdf(
        agency=request.actor.agency, person=person, language=language, release=release
    )
    response = HttpResponse(data, content_type="application/pdf")
    name = f"release-{release.pk}" if release else "release-form"
    response["Content-Disposition"] = f'inline; filename="{name}-{language}.pdf"'
    return response


def _language(request, person) -> str:
    asked = request.GET.get("lang", "")
    if asked in form_languages():
        return asked
    return person.preferred_language if person.preferred_language in form_languages() else "en"


@staff_view(Perm.CASE_WORK)
def blank_form_pdf(request, case_id: int, person_id: int):
    """The blank form for the person to read and sign on paper, in their language."""
    case, person = access_case_person(request.actor, case_id, person_id)
    language = _language(request, person)
    return _pdf_response(request, case=case, person=person, release=None, language=language)


@staff_view(Perm.CASE_VIEW)
def release_pdf_view(request, case_id: int, release_id: int):
    """A recorded release, filled in, to hand to the person or the recipient."""
    case, release = access_release(request.actor, case_id, release_id)
    person = release.person
    language = _language(request, person)
    return _pdf_response(request, case=case, person=person, release=release, language=language)


@staff_view(Perm.CASE_VIEW)
def expiring(request):
    """Releases in force that expire soon: one's own cases; everyone's for supervisors."""
    conf = settings_for(request.actor.agency)
    releases = list(releases_expiring(request.actor))
    return render(
        request,
        "consent/expiring.html",
        {
            "releases": releases,
            "window": conf.expiring_window_days,
            "everyone": request.actor.has(Perm.CASE_ASSIGN),
            "now": timezone.now(),
        },
    )


@staff_view(Perm.AGENCY_CONFIGURE)
def consent_settings(request):
    conf = settings_for(request.actor.agency)
    form = bind_form(
        request,
        ConsentSettingsForm,
        initial={
            "default_days": conf.default_days,
            "max_days": conf.max_days,
            "minor_assent_age": conf.minor_assent_age,
            "expiring_window_days": conf.expiring_window_days,
            "version": conf.version,
        },
    )
    save = partial(consent_settings_save, actor=request.actor)
    return form_view(
        request,
        form,
        lambda d: save(**d),
        done=gettext("Release settings saved."),
        then="consent:settings",
        page=Page("consent/settings.html"),
    )


@staff_view(Perm.CASE_EXPORT)
@sudo_required
def case_export(request):
    """Download the filtered case list as CSV, after saying why (and, to identify victims,
    to whom and for what: case_export.case_list_csv)."""
    workers = list(caseworkers(request.actor))
    _form, filters = case_filters_from(request.GET, workers)
    error = ""
    if request.method == "POST":
        try:
            text, count = case_list_csv(
                actor=request.actor,
                filters=filters,
                reason=request.POST.get("reason", ""),
                **export_recipient(request.actor, request.POST),
            )
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            response = HttpResponse(text, content_type="text/csv; charset=utf-8")
            stamp = timezone.localdate().isoformat()
            response["Content-Disposition"] = f'attachment; filename="cases-{stamp}.csv"'
            return response
    count = case_list(request.actor, filters).count()
    return render(
        request,
        "consent/case_export.html",
        {"count": count, "filters": filters, "error": error} | export_choices(request.actor),
        status=400 if error else 200,
    )
