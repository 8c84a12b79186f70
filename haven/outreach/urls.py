from django.urls import path

from haven.outreach import views

app_name = "outreach"
urlpatterns = [
    # The outreach queue: new cases nobody has reached yet.
    path("queue/", views.queue, name="queue"),
    path("queue/auto-assign/", views.queue_auto_assign, name="queue_auto_assign"),
    # The coordinator's outreach rules.
    path("agency/outreach-rules/", views.rule_list, name="rules"),
    path("agency/outreach-rules/new/", views.rule_new, name="rule_new"),
    path("agency/outreach-rules/start/", views.rules_start, name="rules_start"),
    path("agency/outreach-rules/<int:rule_id>/", views.rule_edit, name="rule_edit"),
]
