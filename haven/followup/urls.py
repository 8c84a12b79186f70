from django.urls import path

from haven.followup import views

app_name = "followup"
urlpatterns = [
    path("follow-ups/", views.followup_list, name="list"),
    path("follow-ups/<int:followup_id>/complete/", views.followup_complete_view, name="complete"),
    path("follow-ups/<int:followup_id>/skip/", views.followup_skip_view, name="skip"),
    path("follow-ups/<int:followup_id>/reassign/", views.followup_reassign_view, name="reassign"),
    path("cases/<int:case_id>/follow-ups/plan/", views.plan_edit, name="plan"),
    path("cases/<int:case_id>/follow-ups/plan/pause/", views.plan_pause_view, name="plan_pause"),
    path("cases/<int:case_id>/follow-ups/new/", views.followup_new, name="new"),
    path("follow-ups/rules/", views.rule_list, name="rules"),
    path("follow-ups/rules/settings/", views.settings_save, name="settings"),
    path("follow-ups/rules/new/", views.rule_new, name="rule_new"),
    path("follow-ups/rules/<int:followup_rule_id>/", views.rule_edit, name="rule_edit"),
]
