from django.urls import path

from haven.cases import closing_views, views

app_name = "cases"
urlpatterns = [
    path("cases/mine/", views.caseload, name="caseload"),
    path("cases/", views.case_list, name="list"),
    path("cases/<int:case_id>/", views.case_detail, name="detail"),
    path("cases/<int:case_id>/panels/<panel>/", views.case_panel, name="panel"),
    path("cases/<int:case_id>/forms/<form>/", views.case_form, name="form"),
    path("cases/<int:case_id>/contacts/", views.contact_create, name="contact_create"),
    path("cases/<int:case_id>/notes/", views.note_create, name="note_create"),
    path("cases/<int:case_id>/tasks/", views.task_create, name="task_create"),
    path("cases/<int:case_id>/status/", views.case_status, name="status"),
    path("cases/<int:case_id>/close/", closing_views.case_close, name="close"),
    path("cases/<int:case_id>/people/", views.related_person_create, name="person_create"),
    path("cases/<int:case_id>/assign/", views.case_assign_view, name="assign"),
    path("cases/<int:case_id>/take/", views.case_take, name="take"),
    path("tasks/<int:task_id>/done/", views.task_done, name="task_done"),
    path("cases/closings/", views.closing_reviews, name="closing_reviews"),
    path("cases/<int:case_id>/closing-review/", views.closing_review, name="closing_review"),
    path("served/", views.served, name="served"),
    path("overview/", views.overview, name="overview"),
]
