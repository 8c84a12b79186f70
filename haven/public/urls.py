from django.urls import path

from haven.public import views
from haven.public.texts import CODES

app_name = "public"
urlpatterns = [
    path("help/<slug:agency_slug>/", views.help_page, name="help"),
    path("help/<slug:agency_slug>/<str:language>/", views.help_page, name="help_language"),
    path("agency/help-page/", views.help_settings, name="settings"),
    # One address per language (public:text_en, public:text_zh_hans, ...): the language is
    # the coordinator's own page's, never another agency's record.
    *(
        path(
            f"agency/help-page/{code}/",
            views.help_text_edit,
            {"language": code},
            name=f"text_{code.replace('-', '_')}",
        )
        for code in CODES
    ),
]
