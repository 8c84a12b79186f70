from django.urls import path

from haven.documents import views

app_name = "documents"
urlpatterns = [
    path("cases/<int:case_id>/documents/new/", views.case_upload, name="case_upload"),
    path("people/<int:person_id>/documents/new/", views.person_upload, name="person_upload"),
    path("documents/<int:document_id>/", views.document_detail, name="detail"),
    path("documents/<int:document_id>/download/", views.document_download, name="download"),
    path("documents/<int:document_id>/delete/", views.document_remove, name="delete"),
]
