from django.urls import path

from haven.cases import reads_views as views

app_name = "reads"
urlpatterns = [
    path("cases/<int:case_id>/opened-by/", views.case_reads_page, name="case"),
    path("people/<int:person_id>/opened-by/", views.person_reads_page, name="person"),
    path("audit/people/", views.report_start, name="report_start"),
    path("audit/people/<int:person_id>/report/", views.person_report, name="person_report"),
]
