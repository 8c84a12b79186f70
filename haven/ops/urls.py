from django.urls import path

from haven.ops import views

urlpatterns = [path("healthz", views.healthz, name="healthz")]
