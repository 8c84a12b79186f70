from django.urls import path

from haven.protocols import views

app_name = "protocols"
urlpatterns = [
    path("protocols/", views.template_list, name="list"),
    path("protocols/starting/", views.templates_start, name="start_templates"),
    path("protocols/new/", views.template_new, name="new"),
    path("protocols/<int:template_id>/", views.template_edit, name="edit"),
    path("protocols/late/", views.late, name="late"),
    path("cases/<int:case_id>/protocols/start/", views.case_start, name="case_start"),
    path("protocol-steps/<int:step_id>/done/", views.step_done_view, name="step_done"),
    path("protocol-steps/<int:step_id>/skip/", views.step_skip_view, name="step_skip"),
]
