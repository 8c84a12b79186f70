from django.urls import path

from haven.assistance import views

app_name = "assistance"
urlpatterns = [
    path("cases/<int:case_id>/services/", views.service_list, name="list"),
    path("cases/<int:case_id>/services/new/", views.service_new, name="new"),
    path("services/<int:service_id>/remove/", views.service_remove_view, name="remove"),
]
