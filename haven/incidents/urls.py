from django.urls import path

from haven.incidents import views

app_name = "incidents"
urlpatterns = [
    path("imports/", views.import_runs, name="runs"),
    path("imports/new/", views.import_new, name="new"),
    path("imports/uploads/<upload_id>/", views.import_upload, name="upload"),
    path("imports/<int:run_id>/", views.import_run, name="run"),
    path("imports/<int:run_id>/refused.csv", views.import_run_rejects, name="run_rejects"),
    path("matches/", views.matches, name="matches"),
    path("matches/<int:candidate_id>/link/", views.match_link, name="match_link"),
    path("matches/<int:candidate_id>/reject/", views.match_reject, name="match_reject"),
    path(
        "cases/<int:case_id>/investigation/",
        views.investigation_set,
        name="investigation_set",
    ),
]
