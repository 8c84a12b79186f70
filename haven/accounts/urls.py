from django.contrib.auth import views as auth_views
from django.urls import path

from haven.accounts import passkey_views, team_views, views

app_name = "accounts"
urlpatterns = [
    path("accounts/agency/", views.agency_pick, name="agency_pick"),
    path("accounts/invitation/<token>/", views.invitation, name="invitation"),
    path("accounts/invitation/<token>/renew/", views.invitation_renew, name="invitation_renew"),
    path("accounts/security/", views.security, name="security"),
    path("accounts/language/", views.language, name="language"),
    path("accounts/two-factor/recovery-codes/", views.recovery_codes, name="recovery_codes"),
    path("accounts/passkeys/", passkey_views.passkey_list, name="passkeys"),
    path(
        "accounts/passkeys/options/", passkey_views.passkey_add_options, name="passkey_add_options"
    ),
    path("accounts/passkeys/add/", passkey_views.passkey_add, name="passkey_add"),
    path(
        "accounts/passkeys/<int:device_id>/remove/",
        passkey_views.passkey_remove,
        name="passkey_remove",
    ),
    # Under the second step's own address: open before it is passed (core.two_factor).
    path(
        "accounts/two-factor/passkey/options/",
        passkey_views.sign_in_options,
        name="passkey_sign_in_options",
    ),
    path("accounts/two-factor/passkey/", passkey_views.sign_in_verify, name="passkey_sign_in"),
    path("accounts/password/", views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("accounts/password/reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "accounts/password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "accounts/reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/password/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("team/", team_views.team, name="team"),
    path("team/invite/", team_views.team_invite, name="team_invite"),
    path("team/two-factor/", team_views.team_two_factor, name="team_two_factor"),
    path("team/<int:member_id>/", team_views.member, name="member"),
    path("team/<int:member_id>/role/", team_views.member_role, name="member_role"),
    path("team/<int:member_id>/district/", team_views.member_district, name="member_district"),
    path(
        "team/<int:member_id>/deactivate/", team_views.member_deactivate, name="member_deactivate"
    ),
    path(
        "team/<int:member_id>/reactivate/", team_views.member_reactivate, name="member_reactivate"
    ),
    path("team/<int:member_id>/resend/", team_views.member_resend, name="member_resend"),
    path(
        "team/<int:member_id>/two-factor-reset/",
        team_views.member_two_factor_reset,
        name="member_two_factor_reset",
    ),
]
