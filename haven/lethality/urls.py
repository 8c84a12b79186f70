from django.urls import path

from haven.lethality import views

app_name = "lethality"
urlpatterns = [
    path("cases/<int:case_id>/lethality/new/", views.screen_new, name="screen_new"),
    path("lethality/<int:screen_id>/", views.screen_detail, name="screen_detail"),
    path("lethality/<int:screen_id>/hotline/", views.hotline_record, name="hotline_record"),
]
