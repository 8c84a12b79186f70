from django.urls import path

from haven.public import views

app_name = "public"
urlpatterns = [
    path("help/<slug:agency_slug>/", views.help_page, name="help"),
    path("help/<slug:agency_slug>/<str:language>/", views.help_page, name="help_language"),
    path("agency/help-page/", views.help_settings, name="settings"),
    path("agency/help-page/<str:language>/", views.help_text_edit, name="text"),
]
