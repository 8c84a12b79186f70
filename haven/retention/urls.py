from django.urls import path

from haven.retention import views

app_name = "retention"
urlpatterns = [
    path("retention/", views.home, name="home"),
    path("retention/schedule/", views.schedule_edit, name="schedule"),
    path("retention/holds/", views.holds, name="holds"),
    path("retention/holds/<int:hold_id>/release/", views.hold_release, name="hold_release"),
    path("retention/batches/propose/", views.propose, name="propose"),
    path("retention/batches/<int:batch_id>/", views.batch, name="batch"),
    path("retention/batches/<int:batch_id>/approve/", views.batch_approve, name="approve"),
    path("retention/batches/<int:batch_id>/reject/", views.batch_reject, name="reject"),
    path("retention/certificates/", views.certificates, name="certificates"),
    path("retention/certificates/<int:certificate_id>/", views.certificate, name="certificate"),
]
