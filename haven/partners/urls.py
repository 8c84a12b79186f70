from django.urls import path

from haven.partners import views

app_name = "partners"
urlpatterns = [
    path("partners/", views.search, name="search"),
    path("partners/organizations/", views.organizations, name="organizations"),
    path("partners/organizations/new/", views.organization_edit, name="organization_new"),
    path("partners/organizations/<int:partner_org_id>/", views.organization, name="organization"),
    path(
        "partners/organizations/<int:partner_org_id>/edit/",
        views.organization_edit,
        name="organization_edit",
    ),
    path(
        "partners/organizations/<int:partner_org_id>/services/new/",
        views.service_edit,
        name="service_new",
    ),
    path(
        "partners/services/<int:partner_service_id>/edit/",
        views.service_edit,
        name="service_edit",
    ),
    path(
        "partners/services/<int:partner_service_id>/hours/",
        views.schedule_new,
        name="schedule_new",
    ),
    path(
        "partners/hours/<int:partner_schedule_id>/remove/",
        views.schedule_remove,
        name="schedule_remove",
    ),
    path(
        "partners/organizations/<int:partner_org_id>/locations/new/",
        views.location_edit,
        name="location_new",
    ),
    path(
        "partners/locations/<int:partner_location_id>/edit/",
        views.location_edit,
        name="location_edit",
    ),
    path(
        "partners/organizations/<int:partner_org_id>/contacts/new/",
        views.contact_new,
        name="contact_new",
    ),
    path(
        "partners/contacts/<int:partner_contact_id>/remove/",
        views.contact_remove,
        name="contact_remove",
    ),
    path("partners/mous/", views.mous, name="mous"),
    path("partners/organizations/<int:partner_org_id>/mous/new/", views.mou_edit, name="mou_new"),
    path("partners/mous/<int:mou_id>/edit/", views.mou_edit, name="mou_edit"),
    path("partners/settings/", views.settings, name="settings"),
    path("partners/import/", views.import_package, name="import"),
    path("partners/export/", views.export_package, name="export"),
]
