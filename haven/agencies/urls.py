from django.urls import path

from haven.agencies import views

app_name = "agencies"
urlpatterns = [
    path("agency/", views.agency_settings, name="settings"),
    path("agency/districts/", views.district_add, name="district_add"),
    path("agency/team/<int:member_id>/district/", views.member_district, name="member_district"),
]
