from django.urls import path

from haven.incidents import rule_views

app_name = "outreach_rules"
urlpatterns = [
    path("agency/outreach-rules/", rule_views.rule_list, name="list"),
    path("agency/outreach-rules/new/", rule_views.rule_new, name="new"),
    path("agency/outreach-rules/start/", rule_views.rules_start, name="start"),
    path("agency/outreach-rules/<int:rule_id>/", rule_views.rule_edit, name="edit"),
]
