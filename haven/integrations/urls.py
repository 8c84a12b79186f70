from django.urls import path

from haven.integrations import views

app_name = "integrations"
urlpatterns = [
    path("agency/api-tokens/", views.api_tokens, name="api_tokens"),
    path("agency/api-tokens/new/", views.api_token_new, name="api_token_new"),
    path(
        "agency/api-tokens/<int:token_id>/revoke/",
        views.api_token_revoke_view,
        name="api_token_revoke",
    ),
]
