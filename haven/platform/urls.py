from django.urls import path

from haven.platform import views

app_name = "platform"
urlpatterns = [
    path("operator/", views.agencies, name="agencies"),
    path("operator/agencies/new/", views.agency_new, name="agency_new"),
    path("operator/agencies/<int:agency_id>/", views.agency_detail, name="agency"),
    path("operator/agencies/<int:agency_id>/suspend/", views.agency_suspend, name="agency_suspend"),
    path(
        "operator/agencies/<int:agency_id>/reactivate/",
        views.agency_reactivate,
        name="agency_reactivate",
    ),
    path("operator/statewide/", views.statewide_view, name="statewide"),
    path("operator/statewide.csv", views.statewide_export, name="statewide_export"),
]
