from django.urls import path

from haven.notices import views

app_name = "notices"
urlpatterns = [
    path("n/<str:token>/", views.opt_out, name="opt_out"),
    path("messages/", views.message_list, name="list"),
    path("messages/<int:message_id>/cancel/", views.message_cancel, name="cancel"),
    path("messages/<int:message_id>/retry/", views.message_retry, name="retry"),
    path("messages/<int:message_id>/done/", views.message_done, name="done"),
    path("messages/<int:message_id>/send/", views.message_release, name="release"),
    path("messages/<int:message_id>/letter.pdf", views.message_letter, name="letter"),
    path("cases/<int:case_id>/messages/send/", views.message_send, name="send"),
    path("cases/<int:case_id>/messages/opt-out/", views.opt_out_staff, name="opt_out_staff"),
    path("notices/settings/", views.notice_settings, name="settings"),
    path("notices/twilio/status/", views.twilio_status, name="twilio_status"),
]
