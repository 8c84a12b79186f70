from django.urls import path

from haven.consent import views

app_name = "consent"
urlpatterns = [
    path("cases/export/", views.case_export, name="case_export"),
    path(
        "cases/<int:case_id>/releases/new/<int:person_id>/",
        views.release_new,
        name="new",
    ),
    path(
        "cases/<int:case_id>/releases/form/<int:person_id>/",
        views.blank_form_pdf,
        name="blank_form",
    ),
    path("cases/<int:case_id>/releases/<int:release_id>/", views.release_detail, name="detail"),
    path(
        "cases/<int:case_id>/releases/<int:release_id>/revoke/",
        views.release_revoke_view,
        name="revoke",
    ),
    path(
        "cases/<int:case_id>/releases/<int:release_id>/pdf/",
        views.release_pdf_view,
        name="pdf",
    ),
    path("consent/expiring/", views.expiring, name="expiring"),
    path("consent/settings/", views.consent_settings, name="settings"),
]
