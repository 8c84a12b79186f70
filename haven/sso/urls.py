from django.urls import path

from haven.sso import views

app_name = "sso"
urlpatterns = [
    path("sso/", views.sso_start, name="start"),
    path("sso/settings/", views.sso_settings, name="settings"),
    path("sso/reconfirm/", views.sso_reconfirm_start, name="reconfirm"),
    path("sso/<slug:slug>/login/", views.sso_login, name="login"),
    path("sso/<slug:slug>/callback/", views.sso_callback, name="callback"),
]
