"""The documents pages: attach a file to a case or a person, a document's page, its download,
its deletion. Every read is audited by the access helper; every answer says no-store (the
middleware's default, and the download's own header)."""

from functools import partial

from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from haven.agencies.roles import Perm
from haven.audit.models import AuditAction
from haven.cases.access import access_case
from haven.cases.models import NoteVisibility
from haven.cases.panels import panel_url
from haven.cases.people_access import access_person
from haven.core.decorators import staff_view
from haven.core.form_views import form_view
from haven.documents import content
from haven.documents.access import access_document
from haven.documents.forms import DeleteForm, UploadForm
from haven.documents.responses import download_response
from haven.documents.services import document_delete, document_upload, max_bytes

PRIVILEGED, SHAREABLE = NoteVisibility.PRIVILEGED, NoteVisibility.SHAREABLE


def _people_on(case):
    people = [case.primary_victim]
    people += [link.person for link in case.related_people.select_related("person")]
    return people


def _upload(request, *, case=None, person=None, back: str):
    actor = request.actor
    privileged = actor.has(Perm.NOTE_PRIVILEGED)
    people = _people_on(case) if case is not None else None
    form = UploadForm(
        request.POST or None, request.FILES or None, people=people, privileged=privileged
    )
    by_pk = {p.pk: p for p in people or []}

    def perform(d):
        file = d["file"]
        return document_upload(
            actor=actor,
            file=file,
            name=file.name,
            kind=d["kind"],
            case=case,
            person=by_pk.get(d.get("person")) if case is not None else person,
            visibility=d["visibility"] or (PRIVILEGED if privileged else SHAREABLE),
            description=d["description"],
            victim_consented=d["victim_consented"],
        )

    def page(request, form, *, status, done):
        return render(
            request,
            "documents/upload.html",
            {
                "form": form,
                "case": case,
                "person": person,
                "back": back,
                "limit": content.megabytes(max_bytes()),
            },
            status=status,
        )

    return form_view(
        request,
        form,
        perform,
        done=lambda doc: f"{doc.get_kind_display()} attached.",
        then=back,
        page=page,
    )


@staff_view(Perm.CASE_WORK)
def case_upload(request, case_id: int):
    """Attach a file to a case (GET: the form, an audited read of the case)."""
    case = access_case(request.actor, case_id, write=request.method == "POST")
    return _upload(request, case=case, back=panel_url(case.pk, "documents"))


@staff_view(Perm.CASE_WORK)
def person_upload(request, person_id: int):
    """Attach a file to a person, outside any case."""
    person = access_person(request.actor, person_id, write=False)
    return _upload(request, person=person, back=reverse("people:detail", args=[person.pk]))


@staff_view(Perm.CASE_VIEW)
def document_detail(request, document_id: int):
    """What the document is, who attached it and when; download and delete."""
    document = access_document(request.actor, document_id)
    actor = request.actor
    can_delete = actor.has(Perm.CASE_WORK) and (
        document.uploaded_by_id == actor.membership.pk or actor.has(Perm.CASE_ASSIGN)
    )
    return render(
        request,
        "documents/detail.html",
        {
            "document": document,
            "can_delete": can_delete,
            "delete_form": DeleteForm(),
            "size": content.megabytes(document.size),
        },
    )


@staff_view(Perm.CASE_VIEW)
def document_download(request, document_id: int):
    """The file itself, decrypted, as an attachment under a safe name with the extension of
    what it really is. Audited as a download."""
    document = access_document(request.actor, document_id, action=AuditAction.DOCUMENT_DOWNLOAD)
    return download_response(document)


@require_POST
@staff_view(Perm.CASE_WORK)
def document_remove(request, document_id: int):
    document = access_document(request.actor, document_id, write=True)
    back = (
        panel_url(document.case_id, "documents")
        if document.case_id
        else reverse("people:detail", args=[document.person_id])
    )
    form = DeleteForm(request.POST)
    perform = partial(document_delete, actor=request.actor, document=document)
    return form_view(
        request,
        form,
        lambda d: perform(reason=d["reason"]),
        done=gettext("Document deleted."),
        then=back,
    )
