from django.urls import path

from haven.people import views

app_name = "people"
urlpatterns = [
    path("people/<int:person_id>/", views.person_detail, name="detail"),
]
