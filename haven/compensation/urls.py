from django.urls import path

from haven.compensation import views

app_name = "compensation"
urlpatterns = [
    path("compensation/", views.claim_list, name="list"),
    path("cases/<int:case_id>/compensation/new/", views.claim_new, name="claim_new"),
    path("compensation/claims/<int:claim_id>/", views.claim_detail, name="claim"),
    path("compensation/claims/<int:claim_id>/edit/", views.claim_edit, name="claim_edit"),
    path("compensation/claims/<int:claim_id>/status/", views.claim_status, name="status"),
    path(
        "compensation/claims/<int:claim_id>/expenses/", views.claim_expense_add, name="expense_add"
    ),
    path(
        "compensation/expenses/<int:expense_id>/",
        views.claim_expense_update,
        name="expense_update",
    ),
    path("compensation/claims/<int:claim_id>/payments/", views.claim_payment, name="payment"),
    path("compensation/claims/<int:claim_id>/packet.pdf", views.claim_packet_pdf, name="packet"),
    path("cases/<int:case_id>/restitution/new/", views.restitution_new, name="restitution_new"),
    path(
        "compensation/restitution/<int:order_id>/",
        views.restitution_detail,
        name="restitution",
    ),
    path(
        "compensation/restitution/<int:order_id>/payments/",
        views.restitution_payment,
        name="restitution_payment",
    ),
    path(
        "compensation/restitution/<int:order_id>/close/",
        views.restitution_close_view,
        name="restitution_close",
    ),
]
