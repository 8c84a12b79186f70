from functools import partial

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone, translation

from haven.agencies.roles import Perm
from haven.audit.models import AuditAction
from haven.core.decorators import staff_view
from haven.core.form_views import form_view
from haven.people.models import LANGUAGES
from haven.safety import sections as plan_sections
from haven.safety.access import PlanAccess, access_plan
from haven.safety.forms import RevisionForm
from haven.safety.selectors import revisions_of
from haven.safety.services import known_languages, safety_plan_revise


def _pick(revisions: list, number: str | None):
    """The revision asked for by number, else the newest; 404 for a number that is not one."""
    if not revisions:
        return None
    if not number:
        return revisions[0]
    found = next((r for r in revisions if str(r.number) == number), None)
    if found is None:
        raise Http404("No such revision.")
    return found


@staff_view(Perm.CASE_VIEW)
def plan_detail(request, case_id: int, person_id: int):
    """The plan in force (or an older revision, ?revision=N) and its history."""
    found = access_plan(request.actor, case_id, person_id)
    revisions = list(revisions_of(found.plan))
    shown = _pick(revisions, request.GET.get("revision"))
    return render(
        request,
        "safety/plan_detail.html",
        {
            "case": found.case,
            "person": found.person,
            "plan": found.plan,
            "revisions": revisions,
            "shown": shown,
            "current": revisions[0] if revisions else None,
            "sections": _with_text(shown),
            "can_revise": request.actor.has(Perm.CASE_WORK) and found.case.is_open,
        },
    )


def _with_text(revision) -> list[tuple[plan_sections.Section, str]]:
    text = revision.sections if revision else {}
    return [(section, text.get(section.key, "")) for section in plan_sections.sections()]


@staff_view(Perm.CASE_WORK)
def plan_revise(request, case_id: int, person_id: int):
    """The form, prefilled with the current revision (GET, an audited read); saving it writes
    a new revision and goes back to the plan."""
    if request.method != "POST":
        found = access_plan(request.actor, case_id, person_id)
        current = revisions_of(found.plan).first()
        language = current.language if current else found.person.preferred_language
        initial = {"language": language, "based_on": current.number if current else 0}
        if current:
            initial |= current.sections
        form = RevisionForm(initial=initial, language=language)
        return _revise_page(request, found, form, current)
    found = access_plan(request.actor, case_id, person_id, write=True)
    form = RevisionForm(request.POST, language=request.POST.get("language", "en"))
    revise = partial(safety_plan_revise, actor=request.actor, case=found.case, person=found.person)

    def perform(d):
        return revise(
            sections=form.sections(),
            language=d["language"],
            note=d["note"],
            based_on=d["based_on"],
        )

    def done(revision):
        verb = "written" if revision.number == 1 else "revised"
        return f"Safety plan {verb}: revision {revision.number}."

    def page(request, form, *, status, done):
        return _revise_page(request, found, form, revisions_of(found.plan).first(), status=status)

    then = reverse("safety:detail", kwargs={"case_id": found.case.pk, "person_id": found.person.pk})

    def saved(revision):
        return {**revision.sections, "language": revision.language, "note": revision.note}

    return form_view(request, form, perform, done=done, then=then, page=page, saved=saved)


def _revise_page(request, found: PlanAccess, form, current, status=200):
    return render(
        request,
        "safety/plan_revise.html",
        {"case": found.case, "person": found.person, "form": form, "current": current},
        status=status,
    )


@staff_view(Perm.CASE_VIEW)
def plan_print(request, case_id: int, person_id: int):
    """The current revision as a clean page to print and hand over: the agency and its phone,
    the date, the person's name, the sections under headings in the plan's language (or
    ?lang=, or English when Haven has no headings in that language). Audited as a print."""
    found = access_plan(request.actor, case_id, person_id, action=AuditAction.SAFETY_PLAN_PRINT)
    revision = revisions_of(found.plan).first()
    if revision is None:
        raise Http404("No safety plan yet.")
    asked = request.GET.get("lang", "")
    language = asked if asked in known_languages() else revision.language
    text = plan_sections.text_in(language)
    content = revision.sections
    with translation.override("zh-hans" if text.language == "zh" else text.language):
        return render(
            request,
            "safety/plan_print.html",
            {
                "case": found.case,
                "person": found.person,
                "agency": request.actor.agency,
                "revision": revision,
                "text": text,
                "asked_name": _language_name(language),
                "sections": [(s, content.get(s.key, "")) for s in text.sections],
                "today": timezone.localdate(),
                "printable": [
                    (code, _language_name(code)) for code in plan_sections.printable_languages()
                ],
                "back": reverse("safety:detail", args=[found.case.pk, found.person.pk]),
            },
        )


def _language_name(code: str) -> str:
    names = dict(LANGUAGES)
    if code in names:
        return names[code]
    try:
        return translation.get_language_info(code)["name"]
    except KeyError:
        return code
