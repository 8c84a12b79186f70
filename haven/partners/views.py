"""The partner directory's pages: search and browse for every caseworker (partners.view);
editing, MOUs, import and export for coordinators (partners.manage)."""

from functools import partial

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from haven.agencies.roles import Perm
from haven.core.decorators import staff_view
from haven.core.form_views import Page, action_view, bind_form, form_error_text, form_view
from haven.partners import hsds, selectors, services
from haven.partners.access import (
    access_contact,
    access_location,
    access_mou,
    access_organization,
    access_schedule,
    access_service,
)
from haven.partners.forms import (
    ContactForm,
    ImportForm,
    LocationForm,
    MouForm,
    OrganizationForm,
    ScheduleForm,
    SearchForm,
    ServiceForm,
    SettingsForm,
)
from haven.partners.models import Phone

PAGE = 50


@staff_view(Perm.PARTNERS_VIEW)
@require_GET
def search(request):
    """Find a partner service by need, language, place and words: what a specialist needs to
    decide (hours, languages, eligibility, how to refer) on one card per service."""
    actor = request.actor
    form = SearchForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    results = selectors.services_search(
        actor,
        need=filters.get("need") or None,
        language=filters.get("language") or None,
        place=filters.get("place") or None,
        text=filters.get("text") or None,
    )
    page = list(results[: PAGE + 1])
    today = selectors.local_today(actor.agency)
    in_force = selectors.mous_in_force_by_org(actor.agency, today)
    return render(
        request,
        "partners/search.html",
        {
            "form": form,
            "results": page[:PAGE],
            "more": len(page) > PAGE,
            "searched": bool(request.GET),
            "in_force": in_force,
            "can_manage": actor.has(Perm.PARTNERS_MANAGE),
        },
    )


@staff_view(Perm.PARTNERS_VIEW)
@require_GET
def organizations(request):
    actor = request.actor
    today = selectors.local_today(actor.agency)
    return render(
        request,
        "partners/organizations.html",
        {
            "organizations": selectors.organizations(actor),
            "in_force": selectors.mous_in_force_by_org(actor.agency, today),
            "can_manage": actor.has(Perm.PARTNERS_MANAGE),
        },
    )


@staff_view(Perm.PARTNERS_VIEW)
@require_GET
def organization(request, partner_org_id: int):
    actor = request.actor
    org = access_organization(actor, partner_org_id)
    can_manage = actor.has(Perm.PARTNERS_MANAGE)
    svc = selectors.organization_services(actor, org)
    mou = selectors.mou_in_force(org)
    return render(
        request,
        "partners/organization.html",
        {
            "org": org,
            "services": svc,
            "locations": selectors.organization_locations(actor, org),
            "contacts": org.contacts.select_related("service").prefetch_related("phones"),
            "phones": Phone.objects.filter(
                organization=org, service=None, location=None, contact=None
            ),
            "mou": mou,
            "in_force": {org.pk: mou} if mou else {},
            "mous": org.mous.order_by("-ends_on"),
            "can_manage": can_manage,
            "contact_form": ContactForm(services=svc) if can_manage else None,
            "schedule_form": ScheduleForm() if can_manage else None,
        },
    )


def _org_initial(org) -> dict:
    phone = Phone.objects.filter(organization=org, service=None, location=None, contact=None)
    return {
        "name": org.name,
        "alternate_name": org.alternate_name,
        "description": org.description,
        "email": org.email,
        "website": org.website,
        "is_active": org.is_active,
        "list_on_public_page": org.list_on_public_page,
        "phone": phone.values_list("number", flat=True).first() or "",
        "version": org.version,
    }


def _edit_form(request, form_class, record, initial_of, **kwargs):
    """The form of a new record (blank) or of an existing one (its values), or the POST."""
    initial = partial(initial_of, record) if record is not None else None
    return bind_form(request, form_class, initial=initial, **kwargs)


@staff_view(Perm.PARTNERS_MANAGE)
@require_http_methods(["GET", "POST"])
def organization_edit(request, partner_org_id: int | None = None):
    actor = request.actor
    org = access_organization(actor, partner_org_id, write=True) if partner_org_id else None
    form = _edit_form(request, OrganizationForm, org, _org_initial)
    save = partial(services.organization_save, actor=actor, organization=org)
    return form_view(
        request,
        form,
        lambda d: save(**d),
        done=lambda saved: f"{saved.name} is saved.",
        then=lambda saved: reverse("partners:organization", args=[saved.pk]),
        page=Page("partners/organization_form.html", {"org": org}),
        saved=_org_initial,
    )


def _edited_and_org(actor, access, record_id: int | None, partner_org_id: int | None):
    """The record a form edits and its organization, or (None, the organization) for a new
    one; both looked up for writing (404 outside the agency)."""
    if record_id:
        record = access(actor, record_id, write=True)
        return record, record.organization
    return None, access_organization(actor, partner_org_id, write=True)


def _service_initial(svc) -> dict:
    from haven.people.models import LANGUAGES

    known = {code for code, _ in LANGUAGES}
    codes = list(svc.languages.values_list("code", flat=True))
    phone = svc.phones.filter(location=None, contact=None).values_list("number", flat=True)
    return {
        **{f: getattr(svc, f) for f in services.SERVICE_FIELDS},
        "needs": list(svc.needs.values_list("code", flat=True)),
        "languages": [c for c in codes if c in known],
        "other_languages": ", ".join(c for c in codes if c not in known),
        "areas": "\n".join(svc.areas.values_list("name", flat=True)),
        "locations": list(svc.at_locations.values_list("location_id", flat=True)),
        "phone": phone.first() or "",
        "version": svc.version,
    }


@staff_view(Perm.PARTNERS_MANAGE)
@require_http_methods(["GET", "POST"])
def service_edit(request, partner_org_id: int | None = None, partner_service_id: int | None = None):
    actor = request.actor
    svc, org = _edited_and_org(actor, access_service, partner_service_id, partner_org_id)
    form = _edit_form(request, ServiceForm, svc, _service_initial, locations=org.locations.all())
    save = partial(services.service_save, actor=actor, organization=org, service=svc)

    def perform(d):
        return save(
            needs=d["needs"],
            languages=d["all_languages"],
            areas=d["area_list"],
            locations=list(d["locations"]),
            phone=d["phone"],
            version=d["version"],
            **{f: d[f] for f in services.SERVICE_FIELDS},
        )

    return form_view(
        request,
        form,
        perform,
        done=lambda saved: f"{saved.name} is saved.",
        then=reverse("partners:organization", args=[org.pk]),
        page=Page("partners/service_form.html", {"org": org, "service": svc}),
        saved=_service_initial,
    )


@staff_view(Perm.PARTNERS_MANAGE)
@require_POST
def schedule_new(request, partner_service_id: int):
    actor = request.actor
    svc = access_service(actor, partner_service_id, write=True)
    add = partial(services.schedule_add, actor=actor, service=svc)
    form = ScheduleForm(request.POST)
    done = f"Hours added to {svc.name}."
    return _org_page_form(request, svc.organization_id, form, add, done=done, what="hours")


@staff_view(Perm.PARTNERS_MANAGE)
@require_POST
def schedule_remove(request, partner_schedule_id: int):
    actor = request.actor
    schedule = access_schedule(actor, partner_schedule_id, write=True)
    org_id = schedule.service.organization_id if schedule.service else None
    return action_view(
        request,
        lambda: services.schedule_remove(actor=actor, schedule=schedule),
        done=gettext("The hours are removed."),
        then=reverse("partners:organization", args=[org_id]) if org_id else "partners:search",
    )


@staff_view(Perm.PARTNERS_MANAGE)
@require_http_methods(["GET", "POST"])
def location_edit(
    request, partner_org_id: int | None = None, partner_location_id: int | None = None
):
    actor = request.actor
    loc, org = _edited_and_org(actor, access_location, partner_location_id, partner_org_id)
    address_fields = services.ADDRESS_FIELDS
    form = _edit_form(request, LocationForm, loc, _location_initial)
    save = partial(services.location_save, actor=actor, organization=org, location=loc)

    def perform(d):
        address = {f: d[f] for f in address_fields}
        fields = {f: d[f] for f in services.LOCATION_FIELDS}
        return save(address=address, version=d["version"], **fields)

    return form_view(
        request,
        form,
        perform,
        done=gettext("The location is saved."),
        then=reverse("partners:organization", args=[org.pk]),
        page=Page("partners/location_form.html", {"org": org, "location": loc}),
        saved=_location_initial,
    )


def _location_initial(loc) -> dict:
    addr = loc.addresses.first()
    return (
        {f: getattr(loc, f) for f in services.LOCATION_FIELDS}
        | ({f: getattr(addr, f) for f in services.ADDRESS_FIELDS} if addr else {})
        | {"version": loc.version}
    )


@staff_view(Perm.PARTNERS_MANAGE)
@require_POST
def contact_new(request, partner_org_id: int):
    actor = request.actor
    org = access_organization(actor, partner_org_id, write=True)
    add = partial(services.contact_add, actor=actor, organization=org)
    form = ContactForm(request.POST, services=org.services.all())
    return _org_page_form(
        request, org.pk, form, add, done=gettext("The contact is added."), what="contact"
    )


def _org_page_form(request, org_id: int, form, add, *, done: str, what: str):
    """A form on the organization's page: `add(**cleaned_data)`, then back to that page; a
    refusal is flashed there ("Check the hours: …")."""
    return form_view(
        request,
        form,
        lambda d: add(**d),
        done=done,
        then=reverse("partners:organization", args=[org_id]),
        invalid=lambda form: f"Check the {what}: {form_error_text(form)}",
    )


@staff_view(Perm.PARTNERS_MANAGE)
@require_POST
def contact_remove(request, partner_contact_id: int):
    actor = request.actor
    contact = access_contact(actor, partner_contact_id, write=True)
    return action_view(
        request,
        lambda: services.contact_remove(actor=actor, contact=contact),
        done=gettext("The contact is removed."),
        then=reverse("partners:organization", args=[contact.organization_id]),
    )


@staff_view(Perm.PARTNERS_VIEW)
@require_GET
def mous(request):
    actor = request.actor
    lapsing = request.GET.get("lapsing") == "1"
    can_manage = actor.has(Perm.PARTNERS_MANAGE)
    settings = selectors.settings_for(actor.agency)
    return render(
        request,
        "partners/mous.html",
        {
            "rows": selectors.mou_rows(actor, lapsing_only=lapsing),
            "lapsing": lapsing,
            "settings": settings,
            "can_manage": can_manage,
            "settings_form": SettingsForm(initial={"lapsing_days": settings.lapsing_days})
            if can_manage
            else None,
        },
    )


@staff_view(Perm.PARTNERS_MANAGE)
@require_http_methods(["GET", "POST"])
def mou_edit(request, partner_org_id: int | None = None, mou_id: int | None = None):
    actor = request.actor
    mou, org = _edited_and_org(actor, access_mou, mou_id, partner_org_id)
    form = _edit_form(request, MouForm, mou, _mou_initial, services=org.services.all())
    save = partial(services.mou_save, actor=actor, organization=org, mou=mou)

    def perform(d):
        d = dict(d)
        return save(services=list(d.pop("services")), **d)

    return form_view(
        request,
        form,
        perform,
        done=f"The MOU with {org.name} is saved.",
        then=reverse("partners:organization", args=[org.pk]),
        page=Page("partners/mou_form.html", {"org": org, "mou": mou}),
        saved=_mou_initial,
    )


def _mou_initial(mou) -> dict:
    return {f: getattr(mou, f) for f in services.MOU_FIELDS} | {
        "services": list(mou.services.all()),
        "version": mou.version,
    }


@staff_view(Perm.PARTNERS_MANAGE)
@require_POST
def settings(request):
    save = partial(services.partner_settings_save, actor=request.actor)
    return form_view(
        request,
        SettingsForm(request.POST),
        lambda d: save(lapsing_days=d["lapsing_days"]),
        done=gettext("The lapsing window is saved."),
        then="partners:mous",
        invalid=gettext("Choose between 15 and 365 days."),
    )


@staff_view(Perm.PARTNERS_MANAGE)
@require_http_methods(["GET", "POST"])
def import_package(request):
    """Upload an HSDS data package: all or nothing; every problem listed with file, line and
    field."""
    actor = request.actor
    errors, result, status = [], None, 200
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["package"]
            if upload.size > hsds.MAX_ZIP_BYTES:
                form.add_error("package", gettext("The file is larger than 20 MB."))
                status = 400
            else:
                try:
                    result = hsds.hsds_import(
                        actor=actor, data=upload.read(), file_name=upload.name
                    )
                except hsds.ImportRefused as exc:
                    errors, status = exc.errors, 400
        else:
            status = 400
    else:
        form = ImportForm()
    return render(
        request,
        "partners/import.html",
        {"form": form, "errors": errors, "result": result},
        status=status,
    )


@staff_view(Perm.PARTNERS_MANAGE)
@require_POST
def export_package(request):
    data = hsds.hsds_export(actor=request.actor)
    stamp = timezone.localdate().isoformat()
    response = HttpResponse(data, content_type="application/zip")
    response["Content-Disposition"] = (
        f'attachment; filename="{request.actor.agency.slug}-partners-hsds-{stamp}.zip"'
    )
    return response
