from django.urls import path

from haven.justice import views

app_name = "justice"
urlpatterns = [
    path("obligations/", views.obligation_list, name="obligations"),
    path("obligations/<int:obligation_id>/honor/", views.obligation_honor, name="obligation_honor"),
    path("obligations/<int:obligation_id>/waive/", views.obligation_waive, name="obligation_waive"),
    path("cases/<int:case_id>/court-cases/new/", views.court_case_new, name="court_case_new"),
    path("court-cases/<int:court_case_id>/edit/", views.court_case_edit, name="court_case_edit"),
    path("cases/<int:case_id>/court-events/new/", views.court_event_new, name="court_event_new"),
    path(
        "court-events/<int:court_event_id>/accompany/",
        views.court_event_accompany,
        name="court_event_accompany",
    ),
    path(
        "court-events/<int:court_event_id>/move/", views.court_event_move, name="court_event_move"
    ),
    path(
        "court-events/<int:court_event_id>/cancel/",
        views.court_event_cancel,
        name="court_event_cancel",
    ),
    path(
        "court-events/<int:court_event_id>/outcome/",
        views.court_event_outcome,
        name="court_event_outcome",
    ),
    path(
        "cases/<int:case_id>/custody-events/new/", views.custody_event_new, name="custody_event_new"
    ),
    path(
        "cases/<int:case_id>/rights-requests/<int:person_id>/",
        views.rights_request,
        name="rights_request",
    ),
    path(
        "cases/<int:case_id>/court-calendar/<int:person_id>/",
        views.calendar_page,
        name="calendar",
    ),
    path(
        "cases/<int:case_id>/court-calendar/<int:person_id>/court-dates.ics",
        views.calendar_download,
        name="calendar_download",
    ),
    path(
        "cases/<int:case_id>/calendar-links/<int:feed_id>/revoke/",
        views.calendar_revoke,
        name="calendar_revoke",
    ),
    path("c/<slug:ics_agency>/<str:ics_token>.ics", views.calendar_feed, name="feed"),
    path("justice/import/", views.import_upload, name="import"),
    path("justice/settings/", views.settings_page, name="settings"),
]
