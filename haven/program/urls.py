from django.urls import path

from haven.program import views

app_name = "program"
urlpatterns = [
    path("program/", views.activity_list, name="activities"),
    path("program/activities/new/", views.activity_new, name="activity_new"),
    path("program/activities/<int:activity_id>/", views.activity_detail, name="activity"),
    path("program/calendar/", views.activity_calendar, name="calendar"),
    path("program/quarter/", views.quarter_counts, name="quarter"),
    path("program/activities.csv", views.activity_export, name="export"),
    path("program/volunteers/", views.volunteer_list, name="volunteers"),
    path("program/volunteers/<int:member_id>/", views.volunteer_detail, name="volunteer"),
    path(
        "program/volunteers/<int:member_id>/hours/",
        views.volunteer_hours,
        name="volunteer_hours",
    ),
    path("program/hours/", views.my_hours, name="hours"),
]
