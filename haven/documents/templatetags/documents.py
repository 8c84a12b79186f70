"""The Documents panel of the case page and the person page, loaded here so neither the cases
app's views nor its templates' context need to know about documents:
`{% case_documents case request.actor %}` and `{% person_documents person request.actor %}`."""

from django import template

from haven.agencies.roles import Perm
from haven.documents import content
from haven.documents.selectors import documents_of_person, documents_on_case, withheld_count

register = template.Library()


@register.inclusion_tag("documents/_panel.html")
def case_documents(case, actor):
    """The case's documents the reader may see (the page that includes this audited the
    case's read), how many privileged ones are withheld, and where to attach another."""
    if actor is None or not actor.has(Perm.CASE_VIEW):
        return {"hidden": True}
    return {
        "documents": _rows(documents_on_case(actor, case)),
        "withheld": withheld_count(actor, case=case),
        "can_upload": actor.has(Perm.CASE_WORK),
        "upload_url_name": "documents:case_upload",
        "owner_id": case.pk,
        "on_case": True,
    }


@register.inclusion_tag("documents/_panel.html")
def person_documents(person, actor):
    if actor is None or not actor.has(Perm.CASE_VIEW):
        return {"hidden": True}
    return {
        "documents": _rows(documents_of_person(actor, person)),
        "withheld": withheld_count(actor, person=person),
        "can_upload": actor.has(Perm.CASE_WORK),
        "upload_url_name": "documents:person_upload",
        "owner_id": person.pk,
        "on_case": False,
    }


def _rows(documents):
    for document in documents:
        document.size_label = content.megabytes(document.size)
    return documents
