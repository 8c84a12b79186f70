from django.urls import path

from haven.safety import views

app_name = "safety"
urlpatterns = [
    path("cases/<int:case_id>/safety-plans/<int:person_id>/", views.plan_detail, name="detail"),
    path(
        "cases/<int:case_id>/safety-plans/<int:person_id>/revise/",
        views.plan_revise,
        name="revise",
    ),
    path(
        "cases/<int:case_id>/safety-plans/<int:person_id>/print/",
        views.plan_print,
        name="print",
    ),
]
