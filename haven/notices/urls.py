from django.urls import path

from haven.notices import views, webhook_views

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
    path("messages/<int:message_id>/held/send/", views.held_send, name="held_send"),
    path("messages/<int:message_id>/held/discard/", views.held_discard, name="held_discard"),
    path("notices/settings/", views.notice_settings, name="settings"),
    path("notices/automatic/", views.automatic_settings, name="automatic"),
    path("messages/texts/<int:text_id>/handled/", views.text_handled, name="text_handled"),
    path("messages/texts/<int:text_id>/case/", views.text_to_case, name="text_to_case"),
    # The providers' webhooks: public, signed (webhook_views.py).
    path("hooks/sms/<str:provider>/status/", webhook_views.sms_status, name="sms_status"),
    path("hooks/sms/<str:provider>/inbound/", webhook_views.sms_inbound, name="sms_inbound"),
    path("hooks/email/bounce/", webhook_views.email_bounce, name="email_bounce"),
    # Where texts sent before the hooks above still report (their StatusCallback was this).
    path("notices/twilio/status/", webhook_views.sms_status, name="twilio_status"),
]
