from django.urls import path

from haven.cases import people_views as views

app_name = "people"
urlpatterns = [
    path("people/search/", views.person_search, name="search"),
    path("people/<int:person_id>/", views.person_detail, name="detail"),
    path("people/<int:person_id>/edit/", views.person_edit, name="edit"),
    path(
        "people/<int:person_id>/contact-points/",
        views.contact_point_create,
        name="contact_point_create",
    ),
]
