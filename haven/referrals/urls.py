from django.urls import path

from haven.referrals import partner_views, views

app_name = "referrals"
urlpatterns = [
    path("referrals/", views.waiting, name="waiting"),
    path("referrals/<int:referral_id>/", views.referral_detail, name="detail"),
    path("referrals/<int:referral_id>/send/", views.send, name="send"),
    path("referrals/<int:referral_id>/answer/", views.answer, name="answer"),
    path("referrals/<int:referral_id>/withdraw/", views.withdraw, name="withdraw"),
    path("referrals/<int:referral_id>/link/", views.resend, name="resend"),
    path("referrals/<int:referral_id>/link/revoke/", views.revoke, name="revoke"),
    path("cases/<int:case_id>/referrals/new/", views.refer, name="refer"),
    path(
        "cases/<int:case_id>/referrals/new/<int:partner_service_id>/",
        views.refer_to,
        name="refer_to",
    ),
    # The partner's page: no sign-in; the token is the key (see partner.py).
    path(
        "partner/<partner_agency>/referrals/<referral_token>/",
        partner_views.partner_view,
        name="partner",
    ),
    path(
        "partner/<partner_agency>/referrals/<referral_token>/documents/<int:document_id>/",
        partner_views.partner_document,
        name="partner_document",
    ),
]
