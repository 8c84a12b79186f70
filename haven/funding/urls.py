from django.urls import path

from haven.funding import views

app_name = "funding"
urlpatterns = [
    path("funding/", views.home, name="home"),
    path("funding/sources/new/", views.source_edit, name="source_new"),
    path("funding/sources/<int:source_id>/", views.source_edit, name="source_edit"),
    path("funding/deposit/", views.deposit, name="deposit"),
    path("funding/splits/", views.split_set, name="split"),
    path("cases/<int:case_id>/emergency-assistance/new/", views.request_new, name="request_new"),
    path("funding/requests/<int:request_id>/decide/", views.request_decide, name="decide"),
    path("funding/requests/<int:request_id>/disburse/", views.request_disburse, name="disburse"),
    path("funding/requests/<int:request_id>/receipt/", views.receipt, name="receipt"),
]
