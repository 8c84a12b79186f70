"""Who has opened a case or a person: the supervisor's and specialist's pages, and the
auditor's per-person access report (HTML to print, PDF, CSV)."""

import csv
import io
from datetime import date, datetime, time, timedelta

from django import forms
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from haven.agencies.roles import Perm
from haven.cases.reads import (
    access_case_reads,
    access_person_reads,
    access_person_report,
    case_reads,
    person_reads,
    report_made,
)
from haven.core.decorators import staff_view
from haven.lib.pdf import pdf_bytes, pdf_document, pdf_heading, pdf_paragraph, pdf_table

PER_PAGE = 100


@staff_view()
def case_reads_page(request, case_id: int):
    case = access_case_reads(request.actor, case_id)
    lines = case_reads(request.actor, case)
    page = Paginator(lines, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "cases/reads.html",
        {"case": case, "page": page, "title": f"Who has opened case {case.number}"},
    )


@staff_view()
def person_reads_page(request, person_id: int):
    person = access_person_reads(request.actor, person_id)
    lines = person_reads(request.actor, person)
    page = Paginator(lines, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "cases/reads.html",
        {"person": person, "page": page, "title": f"Who has opened {person.full_name}'s record"},
    )


class ReportForm(forms.Form):
    start = forms.DateField(
        required=False, label=_("From"), widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        required=False, label=_("To (inclusive)"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            raise forms.ValidationError(gettext("The start date is after the end date."))
        return data


class ReportPersonForm(forms.Form):
    person = forms.IntegerField(label=_("Person's record number"), min_value=1)


def _local(day: date | None, tz) -> datetime | None:
    return None if day is None else datetime.combine(day, time.min, tzinfo=tz)


@staff_view(Perm.AUDIT_VIEW)
def report_start(request):
    """The auditor asks for a person by record number (shown on the person's page, in its
    address and on their "who has opened" page); the report follows."""
    form = ReportPersonForm(request.GET or None)
    if form.is_valid():
        return redirect("reads:person_report", person_id=form.cleaned_data["person"])
    return render(request, "cases/reads_report_start.html", {"form": form})


@staff_view()
def person_report(request, person_id: int):
    """The report by record number, never naming the person: an auditor is outside victim
    services and sees no victim's identity (consent/tests/test_leaks.py). Whoever hands it to
    the victim writes their name on the "For:" line."""
    person = access_person_report(request.actor, person_id)
    form = ReportForm(request.GET or None)
    start = end = None
    if form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    tz = request.actor.agency.tz
    until = _local(end + timedelta(days=1), tz) if end else None
    lines = person_reads(request.actor, person, since=_local(start, tz), until=until)
    fmt = request.GET.get("format", "html")
    if fmt not in ("html", "pdf", "csv"):
        fmt = "html"
    report_made(
        request.actor,
        person,
        fmt=fmt,
        since=start.isoformat() if start else "",
        until=end.isoformat() if end else "",
        count=len(lines),
    )
    made_at = timezone.localtime(timezone.now(), tz)
    context = {
        "person": person,
        "agency": request.actor.agency,
        "lines": lines,
        "form": form,
        "start": start,
        "end": end,
        "made_at": made_at,
        "made_by": request.actor.membership.user.get_full_name() or request.actor.label,
        "query": request.GET.urlencode(),
    }
    filename = f"access-report-person-{person.pk}-{made_at:%Y-%m-%d}"
    if fmt == "csv":
        return _download(_csv(lines, tz), "text/csv; charset=utf-8", f"{filename}.csv")
    if fmt == "pdf":
        return _download(_pdf(context, tz), "application/pdf", f"{filename}.pdf")
    return render(request, "cases/reads_report.html", context)


def _download(data: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


def _when(at: datetime, tz) -> str:
    return timezone.localtime(at, tz).strftime("%b %d, %Y %I:%M %p %Z")


def _csv(lines, tz) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["When", "Time zone", "Who", "Role", "What they did", "Kind", "Reason given"])
    for line in lines:
        local = timezone.localtime(line.at, tz)
        writer.writerow(
            [
                local.strftime("%Y-%m-%d %H:%M"),
                local.strftime("%Z"),
                line.who,
                line.role,
                line.for_victim,
                line.kind,
                line.reason,
            ]
        )
    return out.getvalue().encode("utf-8")


def _pdf(context, tz) -> bytes:
    person, agency = context["person"], context["agency"]
    pdf = pdf_document(language="en", title=f"Who has seen your records (record {person.pk})")
    pdf_heading(pdf, "Who has seen your records")
    pdf_paragraph(pdf, f"Record number {person.pk} · For: ______________________________")
    pdf_paragraph(pdf, _summary(context))
    rows = [
        (_when(line.at, tz), f"{line.who} ({line.role})" if line.role else line.who,
         line.for_victim, line.reason or "")
        for line in context["lines"]
    ]  # fmt: skip
    if rows:
        pdf_table(pdf, rows, header=("When", "Who", "What they did", "Reason given"))
    pdf_paragraph(pdf, "")
    pdf_paragraph(pdf, _footer(context, agency))
    return pdf_bytes(pdf)


def _summary(context) -> str:
    start, end, lines = context["start"], context["end"], context["lines"]
    period = "since the record was made"
    if start and end:
        period = f"from {start:%B %d, %Y} to {end:%B %d, %Y}"
    elif start:
        period = f"since {start:%B %d, %Y}"
    elif end:
        period = f"up to {end:%B %d, %Y}"
    return (
        f"{context['agency'].name} keeps a log of every time someone opens a record about a "
        f"person. This report lists each time, {period}, that someone opened, printed or "
        f"downloaded a record about you: {len(lines)} in all."
    )


def _footer(context, agency) -> str:
    return (
        f"Times are in {agency.time_zone}. Made by {context['made_by']} (auditor) on "
        f"{context['made_at']:%B %d, %Y at %I:%M %p %Z}. The log cannot be changed without "
        "the change being detected; making this report was itself logged."
    )
