from django.urls import path

from haven.portal import staff_views, views

app_name = "portal"
urlpatterns = [
    # The victim's page (no sign-in; the token is the key, a one-time code opens it).
    path("my/<str:token>/", views.page, name="page"),
    path("my/<str:token>/code/", views.code, name="code"),
    path("my/<str:token>/open/", views.open_page, name="open"),
    path("my/<str:token>/language/", views.language_change, name="language"),
    path("my/<str:token>/choices/", views.choices, name="choices"),
    path("my/<str:token>/stop/", views.stop, name="stop"),
    path("my/<str:token>/calendar.ics", views.calendar, name="calendar"),
    path("my/<str:token>/close/", views.close, name="close"),
    # The specialist's side, on the case page.
    path("cases/<int:case_id>/status-page/", staff_views.offer, name="offer"),
    path("status-pages/<int:page_id>/release/", staff_views.release, name="release"),
    path("status-pages/<int:page_id>/link/", staff_views.new_link, name="new_link"),
    path("status-pages/<int:page_id>/revoke/", staff_views.revoke, name="revoke"),
]
