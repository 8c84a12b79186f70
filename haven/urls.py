from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

from haven.accounts import sign_in
from haven.accounts import views as accounts_views
from haven.cases import api as cases_api
from haven.incidents import api as incidents_api
from haven.justice import api as justice_api

api_v1 = [
    path("cases/", cases_api.CaseListApi.as_view(), name="case_list"),
    path("cases/<int:case_id>/", cases_api.CaseDetailApi.as_view(), name="case_detail"),
    path(
        "cases/<int:case_id>/contacts/",
        cases_api.ContactCreateApi.as_view(),
        name="contact_create",
    ),
    path("cases/<int:case_id>/notes/", cases_api.NoteCreateApi.as_view(), name="note_create"),
    path("served/", cases_api.ServedStatusApi.as_view(), name="served"),
    path("incidents/import/", incidents_api.IncidentImportApi.as_view(), name="incident_import"),
    path("justice/events/", justice_api.JusticeEventImportApi.as_view(), name="justice_events"),
]

urlpatterns = [
    path("", sign_in.home, name="home"),
    path("accounts/login/", accounts_views.SignInView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/reconfirm/", sign_in.reconfirm, name="reconfirm"),
    path("accounts/two-factor/", sign_in.two_factor, name="two_factor"),
    path("", include("haven.cases.urls")),
    path("", include("haven.cases.people_urls")),
    path("", include("haven.cases.reads_urls")),
    path("", include("haven.intake.urls")),
    path("", include("haven.audit.urls")),
    path("", include("haven.incidents.urls")),
    path("", include("haven.outreach.urls")),
    path("", include("haven.agencies.urls")),
    path("", include("haven.integrations.urls")),
    path("", include("haven.assistance.urls")),
    path("", include("haven.lethality.urls")),
    path("", include("haven.safety.urls")),
    path("", include("haven.documents.urls")),
    path("", include("haven.followup.urls")),
    path("", include("haven.oncall.urls")),
    path("", include("haven.partners.urls")),
    path("", include("haven.consent.urls")),
    path("", include("haven.referrals.urls")),
    path("", include("haven.justice.urls")),
    path("", include("haven.program.urls")),
    path("", include("haven.notices.urls")),
    path("", include("haven.compensation.urls")),
    path("", include("haven.reports.urls")),
    path("", include("haven.ops.urls")),
    path("", include("haven.accounts.urls")),
    path("", include("haven.platform.urls")),
    path("", include("haven.sso.urls")),
    path("", include("haven.protocols.urls")),
    path("", include("haven.portal.urls")),
    path("", include("haven.funding.urls")),
    path("", include("haven.public.urls")),
    path("", include("haven.crisis.urls")),
    path("", include("haven.retention.urls")),
    path("api/v1/", include((api_v1, "api"))),
    path("api/schema/", SpectacularAPIView.as_view(), name="api_schema"),
]

handler404 = "haven.core.errors.page_not_found"
