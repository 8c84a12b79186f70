from django.urls import path

from haven.crisis import views

app_name = "crisis"
urlpatterns = [
    path("callouts/", views.callout_list, name="list"),
    path("callouts/new/", views.callout_new, name="new"),
    path("callouts/<int:callout_id>/", views.callout_detail, name="detail"),
    path("callouts/<int:callout_id>/<str:step>/now/", views.callout_stamp, name="stamp"),
    path("callouts/<int:callout_id>/outcome/", views.callout_outcome, name="outcome"),
    path("callouts/<int:callout_id>/call-off/", views.callout_cancel, name="cancel"),
    path("callouts/<int:callout_id>/case/", views.callout_link, name="link"),
    path("anonymous-contacts/", views.contact_list, name="contact_list"),
    path("anonymous-contacts/new/", views.contact_new, name="contact_new"),
]
