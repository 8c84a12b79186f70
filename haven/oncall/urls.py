from django.urls import path

from haven.oncall import views

app_name = "oncall"
urlpatterns = [
    path("on-call/now/", views.now, name="now"),
    path("on-call/roster/", views.roster, name="roster"),
    path("on-call/shifts/new/", views.shift_new, name="shift_new"),
    path("on-call/shifts/<int:shift_id>/remove/", views.shift_remove, name="shift_remove"),
    path("on-call/pattern/new/", views.pattern_new, name="pattern_new"),
    path("on-call/pattern/<int:slot_id>/remove/", views.pattern_remove, name="pattern_remove"),
    path("on-call/holidays/new/", views.holiday_new, name="holiday_new"),
    path("on-call/holidays/<int:holiday_id>/remove/", views.holiday_remove, name="holiday_remove"),
    path("on-call/fallback/", views.override, name="override"),
    path("on-call/settings/", views.settings, name="settings"),
]
