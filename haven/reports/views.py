from functools import partial

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache

from haven.agencies.roles import Perm
from haven.core.decorators import secret_address, staff_view
from haven.core.form_views import Page, form_error_text, form_view
from haven.core.replica import reads_from_replica
from haven.core.scoping import agency_scope, all_agencies
from haven.funding.access import access_source
from haven.funding.selectors import source_choices
from haven.lib.tokens import token_digest
from haven.reports import charts, figures, selectors, services
from haven.reports.forms import DashboardFilterForm, GoalsForm, GrantForm, PmtFilteredForm
from haven.reports.models import ReportGoals, SurveyInvitation
from haven.reports.pmt import Quarter
from haven.reports.protocol_panel import protocol_rates
from haven.reports.survey import questions

CASELOAD_CHART_ROWS = 20  # the chart shows the largest caseloads; the table has them all
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@staff_view(Perm.AGGREGATES_VIEW)
@reads_from_replica
def dashboard(request):
    actor = request.actor
    menus = selectors.filter_choices(actor)
    today = timezone.now().astimezone(actor.agency.tz).date()
    form = DashboardFilterForm(request.GET or None, menus=menus)
    filters = selectors.Filters.default(today)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        filters = selectors.Filters(
            start=data["start"] or filters.start,
            end=data["end"] or filters.end,
            district_id=data["district"],
            specialist_id=data["specialist"],
            victimization=data["victimization"] or "",
            funding_source_id=data["funding_source"],
        )
    dash = selectors.dashboard(actor, filters)
    crisis = figures.crisis_panel(actor.agency, filters, suppress=dash.suppressed)
    goals = dash.goals
    last_quarter = {"quarter": str(Quarter.containing(today).previous)}
    context = {
        "protocol_rates": protocol_rates(actor, filters),
        "form": form,
        "dash": dash,
        "crisis": crisis,
        "pmt_form": PmtFilteredForm(initial=last_quarter, sources=menus["funding_sources"]),
        "grant_form": GrantForm(initial=last_quarter, sources=menus["funding_sources"]),
        "caseload_cut": len(dash.caseload) > CASELOAD_CHART_ROWS,
        "charts": {
            "first_contact": charts.columns(
                [(m.label, m.first_contact_within) for m in dash.months],
                maximum=100,
                goal=100,
            ),
            "first_contact_median": charts.columns(
                [(m.label, m.first_contact_median) for m in dash.months],
                goal=goals.first_contact_hours,
            ),
            "resolution": charts.columns(
                [(m.label, m.resolution_median) for m in dash.months], goal=goals.resolution_days
            ),
            "satisfaction": charts.columns(
                [(m.label, m.satisfaction) for m in dash.months],
                maximum=100,
                goal=goals.satisfaction_percent,
            ),
            "received": charts.columns([(m.label, m.received) for m in dash.months]),
            "caseload": charts.bars(dash.caseload[:CASELOAD_CHART_ROWS]),
            "answers": charts.bars(dash.satisfaction_by_answer),
        },
    }
    return render(request, "reports/dashboard.html", context)


@staff_view(Perm.AGENCY_CONFIGURE)
def goals(request):
    actor = request.actor
    current = ReportGoals.objects.filter(agency=actor.agency).first() or ReportGoals(
        agency=actor.agency, first_contact_hours=actor.agency.first_contact_goal_hours
    )
    form = GoalsForm(request.POST or None, instance=current, initial={"version": current.version})
    save = partial(services.report_goals_save, actor=actor)
    done = "Goals saved."
    page = Page("reports/goals.html")
    return form_view(
        request, form, lambda d: save(**d), done=done, then="reports:dashboard", page=page
    )


def _download(data: bytes, name: str) -> HttpResponse:
    kind = XLSX if name.endswith(".xlsx") else "text/csv; charset=utf-8"
    response = HttpResponse(data, content_type=kind)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@staff_view(Perm.AGGREGATES_VIEW)
@reads_from_replica
def pmt(request):
    """The PMT download; with `funding_source`, only the services tagged to that source."""
    sources = source_choices(request.actor.agency)
    form = PmtFilteredForm(request.GET or None, sources=sources)
    if not form.is_valid():
        messages.error(request, gettext("Write the quarter like 2026Q3 and choose a format."))
        return redirect("reports:dashboard")
    data = form.cleaned_data
    source = (
        access_source(request.actor, data["funding_source"]) if data["funding_source"] else None
    )
    return _download(
        *services.pmt_export(
            actor=request.actor, quarter=data["quarter"], fmt=data["format"], source=source
        )
    )


@staff_view(Perm.AGGREGATES_VIEW)
@reads_from_replica
def grant(request):
    """The per-grant report of one funding source and quarter (CSV or XLSX)."""
    form = GrantForm(request.GET or None, sources=source_choices(request.actor.agency))
    if not form.is_valid():
        messages.error(request, form_error_text(form))
        return redirect(reverse("reports:dashboard") + "#grant-report")
    data = form.cleaned_data
    source = access_source(request.actor, data["funding_source"])
    return _download(
        *services.grant_export(
            actor=request.actor, source=source, quarter=data["quarter"], fmt=data["format"]
        )
    )


def _survey_done(request, q, *, used: bool, agency=None, status: int = 200):
    """The page after the survey: thanks for the answer, or the link is used up or gone."""
    context = {"q": q, "used": used, "agency": agency}
    return render(request, "reports/survey_done.html", context, status=status)


SURVEY_ANSWERS = ("respected", "informed", "knows_help", "comment")


@never_cache
@secret_address
def survey(request, token: str):
    """The anonymous survey behind a link: no sign-in; one answer per link."""
    digest = token_digest(token)
    with all_agencies():
        found = SurveyInvitation.objects.filter(token_hash=digest).values_list(
            "agency_id", flat=True
        )
        agency_id = found.first()
    if agency_id is None:
        return _survey_done(request, questions("en"), used=True, status=404)
    with agency_scope(agency_id):
        invitation = SurveyInvitation.objects.select_related("agency", "case").get(
            token_hash=digest
        )
        q, agency = questions(invitation.language), invitation.agency
        if invitation.used_on is not None or invitation.expires_at <= timezone.now():
            return _survey_done(request, q, used=True, agency=agency, status=410)
        error = ""
        if request.method == "POST":
            answers = {name: request.POST.get(name, "") for name in SURVEY_ANSWERS}
            try:
                services.survey_answer(
                    invitation=invitation, overall=request.POST.get("overall"), **answers
                )
            except ValidationError as problem:
                error = " ".join(problem.messages)
            else:
                return _survey_done(request, q, used=False, agency=agency)
        # 200 even with an error: Django logs a 4xx with its address, which holds the secret.
        context = {"q": q, "error": error, "agency": agency, "posted": request.POST}
        return render(request, "reports/survey.html", context)
