"""Pages for the records-system import (upload, the import log) and the review list of
possible matches. The rules live in incidents.services; the import runs in tasks.py."""

from __future__ import annotations

import io
import itertools
from datetime import date, datetime
from pathlib import PurePath

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.core.paginator import Paginator
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from haven.agencies.roles import Perm
from haven.cases.access import access_case
from haven.cases.panels import panel_url
from haven.core.decorators import staff_view
from haven.core.form_views import form_view
from haven.incidents import selectors, tasks
from haven.incidents.access import access_import_run, access_match_decision
from haven.incidents.forms import ImportForm, InvestigationForm, RejectForm, UploadLimit
from haven.incidents.investigation import incident_investigation_set
from haven.incidents.models import ImportStatus, MatchCandidate
from haven.incidents.services import match_candidate_link, match_candidate_reject
from haven.lib.spreadsheet import csv_writer

RUNS_PER_PAGE = 50
PEOPLE_PER_PAGE = 25  # people on reports, each with their possible matches
REFRESH_SECONDS = 3  # while an import runs: a Refresh header, so no script is needed
# The member's uploads in this session, {upload_id: what was asked}: an upload's page is found
# through the session, so nobody else can follow it.
UPLOADS_KEY = "incident_uploads"
UPLOADS_KEPT = 10


# --- the import log -------------------------------------------------------------------------


@staff_view(Perm.INCIDENT_IMPORT)
def import_runs(request):
    page = Paginator(selectors.import_runs(request.actor), RUNS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    runs = _with_took(list(page))
    selectors.audit_import_runs_page(request.actor, runs, page.number)
    response = render(request, "incidents/import_runs.html", {"page": page, "runs": runs})
    if any(run.status == ImportStatus.RUNNING for run in runs):
        response["Refresh"] = str(REFRESH_SECONDS * 5)
    return response


@staff_view(Perm.INCIDENT_IMPORT)
def import_run(request, run_id: int):
    run = _with_took([access_import_run(request.actor, run_id)])[0]
    response = render(request, "incidents/import_run.html", {"run": run})
    if run.status == ImportStatus.RUNNING:
        response["Refresh"] = str(REFRESH_SECONDS)
    return response


@staff_view(Perm.INCIDENT_IMPORT)
def import_run_rejects(request, run_id: int):
    """Every refused row of the run as CSV (line, reason): the reasons name columns, formats
    and codes, never a person, so the file holds nothing of the export's people."""
    run = access_import_run(request.actor, run_id)
    # Read here, inside the agency's scope (a streamed body is produced after the view returns).
    rows = list(selectors.import_rejected_rows(run))
    response = StreamingHttpResponse(
        _csv_lines(itertools.chain([("line", "reason")], rows)),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="import-{run.pk}-refused-rows.csv"'
    return response


def _csv_lines(rows):
    buffer = io.StringIO()
    writer = csv_writer(buffer)
    for row in rows:
        writer.writerow(row)
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()


def _with_took(runs: list) -> list:
    """Each run with how long it took, to the second ("" while it runs)."""
    for run in runs:
        run.took = ""
        if run.finished_at is not None:
            seconds = max(round((run.finished_at - run.started_at).total_seconds()), 0)
            minutes, seconds = divmod(seconds, 60)
            hours, minutes = divmod(minutes, 60)
            run.took = (
                f"{hours} h {minutes} min"
                if hours
                else f"{minutes} min {seconds} s"
                if minutes
                else f"{seconds} s"
            )
    return runs


# --- uploading an export --------------------------------------------------------------------


# CSRF is checked inside, once the upload limit is in place: the CSRF check reads the request
# body, and after that the upload handlers can no longer be changed.
@csrf_exempt
@staff_view(Perm.INCIDENT_IMPORT)
def import_new(request):
    limit = UploadLimit(request)
    request.upload_handlers.insert(0, limit)
    return _import_new(request, limit)


@csrf_protect
def _import_new(request, limit: UploadLimit):
    if request.method == "POST":
        data, files = request.POST, request.FILES  # reads the upload, through the limit
        form = ImportForm(data, files, oversized=limit.exceeded)
        if form.is_valid():
            upload_id = _queue_import(request, form.cleaned_data)
            return redirect("incidents:upload", upload_id=upload_id)
    else:
        form = ImportForm()
    return render(
        request, "incidents/import_new.html", {"form": form}, status=400 if form.errors else 200
    )


def _queue_import(request, data: dict) -> str:
    """Keep the upload where the worker finds it (only the service account can read it), note
    it in the member's session, and queue its import as the member."""
    actor = request.actor
    upload = data["file"]
    upload_id = tasks.new_upload_id()
    storage = FileSystemStorage(
        location=tasks.upload_dir(), file_permissions_mode=0o600, directory_permissions_mode=0o700
    )
    path = storage.path(storage.save(upload_id, upload))
    file_name = PurePath(upload.name).name[:255]
    uploads = request.session.get(UPLOADS_KEY, {})
    uploads[upload_id] = {
        "agency": actor.agency.pk,
        "file": file_name,
        "profile": data["profile"],
        "dry_run": data["dry_run"],
        "strict": data["strict"],
        "at": timezone.now().isoformat(),
    }
    request.session[UPLOADS_KEY] = dict(list(uploads.items())[-UPLOADS_KEPT:])
    tasks.import_upload(
        upload_id,
        path=path,
        file_name=file_name,
        profile=data["profile"],
        dry_run=data["dry_run"],
        strict=data["strict"],
        agency_id=actor.agency.pk,
        membership_id=actor.membership.pk,
        ip=actor.ip,
        user_agent=actor.user_agent,
    )
    return upload_id


@staff_view(Perm.INCIDENT_IMPORT)
def import_upload(request, upload_id: str):
    """An upload of this session: waiting, running, then its run's page (or a dry run's counts,
    or why it could not run). Another member's upload, or another agency's, is a 404."""
    uploads = request.session.get(UPLOADS_KEY, {})
    upload = uploads.get(upload_id)
    if upload is None or upload["agency"] != request.actor.agency.pk:
        raise Http404("No such upload.")
    state = upload.get("outcome")
    if state is None:
        state = tasks.upload_state(upload_id)
        if tasks.is_final(state):
            upload["outcome"] = state
            request.session.modified = True
            tasks.upload_state_forget(upload_id)
    if state is not None and state["state"] == tasks.RUN:
        return redirect("incidents:run", run_id=state["run"])
    response = render(
        request,
        "incidents/import_upload.html",
        {
            "upload_id": upload_id,
            "upload": upload,
            "state": state,
            "at": datetime.fromisoformat(upload["at"]),
        },
    )
    if not tasks.is_final(state):
        response["Refresh"] = str(REFRESH_SECONDS)
    return response


# --- the review list of possible matches ----------------------------------------------------


@staff_view(Perm.PERSON_VIEW)
def matches(request):
    actor = request.actor
    page = Paginator(selectors.people_on_reports_to_review(actor), PEOPLE_PER_PAGE).get_page(
        request.GET.get("page")
    )
    people = _with_ages(list(page))
    selectors.audit_match_review(actor, people, page.number)
    return render(
        request,
        "incidents/matches.html",
        {
            "page": page,
            "people": people,
            "can_decide": actor.has(Perm.PERSON_EDIT),
            "reject_form": RejectForm(),
        },
    )


@require_POST
@staff_view(Perm.PERSON_EDIT)
def match_link(request, candidate_id: int):
    candidate = access_match_decision(request.actor, candidate_id)
    try:
        match_candidate_link(actor=request.actor, candidate=candidate)
    except ValidationError as exc:
        return _decided(request, candidate, error=" ".join(exc.messages))
    number = candidate.incident_person.incident.report_number
    return _decided(
        request, candidate, done=f"Linked: the person on report {number} is now on their record."
    )


@require_POST
@staff_view(Perm.PERSON_EDIT)
def match_reject(request, candidate_id: int):
    candidate = access_match_decision(request.actor, candidate_id)
    form = RejectForm(request.POST)
    if not form.is_valid():
        return _decided(request, candidate, error=" ".join(form.errors["reason"]))
    try:
        match_candidate_reject(
            actor=request.actor, candidate=candidate, reason=form.cleaned_data["reason"]
        )
    except ValidationError as exc:
        return _decided(request, candidate, error=" ".join(exc.messages))
    number = candidate.incident_person.incident.report_number
    return _decided(request, candidate, done=f"Recorded: not the same person (report {number}).")


def _decided(request, candidate: MatchCandidate, *, done: str = "", error: str = ""):
    """After a decision: for htmx, the person's group again (what is left to decide in it, or
    nothing) with the outcome; without JS, back to the list with the outcome as a message."""
    actor = request.actor
    if request.htmx:
        group = (
            selectors.people_on_reports_to_review(actor)
            .filter(pk=candidate.incident_person_id)
            .first()
        )
        if group is not None:
            _with_ages([group])
            selectors.audit_match_review(actor, [group])
        return render(
            request,
            "incidents/_match_group.html",
            {
                "ip": group,
                "group_id": candidate.incident_person_id,
                "done": done,
                "error": error,
                "can_decide": True,
                "reject_form": RejectForm(),
            },
        )
    if error:
        messages.error(request, error)
    else:
        messages.success(request, done)
    url = reverse("incidents:matches")
    page = request.POST.get("page", "")
    return redirect(f"{url}?page={page}" if page.isdigit() else url)


def _with_ages(people: list) -> list:
    """Each person on a report, and each known person proposed, with their age on the day of
    the report: what a specialist compares."""
    for person in people:
        day = timezone.localtime(person.incident.reported_at).date()
        person.age_then = person.age if person.age is not None else _age(person.date_of_birth, day)
        for candidate in person.pending:
            known = candidate.person
            candidate.age_then = _age(known.date_of_birth, day)
    return people


def _age(born: date | None, on: date) -> int | None:
    if born is None or born > on:
        return None
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


@require_POST
@staff_view(Perm.CASE_WORK)
def investigation_set(request, case_id: int):
    """The small form on the case page: the report's investigation status and detective."""
    case = access_case(request.actor, case_id, write=True)
    return form_view(
        request,
        InvestigationForm(request.POST),
        lambda d: incident_investigation_set(actor=request.actor, case=case, **d),
        done=lambda incident: (
            f"Investigation status saved: {incident.get_investigation_status_display().lower()}."
        ),
        then=panel_url(case.pk, "investigation"),
    )
