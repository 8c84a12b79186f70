from django.urls import path

from haven.reports import views

app_name = "reports"
urlpatterns = [
    path("reports/", views.dashboard, name="dashboard"),
    path("reports/goals/", views.goals, name="goals"),
    path("reports/pmt/", views.pmt, name="pmt"),
    path("reports/grant/", views.grant, name="grant"),
    path("s/<str:token>/", views.survey, name="survey"),
]
