from functools import partial

from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext

from haven.agencies.roles import Perm
from haven.cases.people_access import access_person
from haven.cases.people_selectors import people_matching
from haven.cases.reads import may_see_person_reads
from haven.cases.selectors import cases_visible_to
from haven.core.decorators import staff_view
from haven.core.form_views import Page, bind_form, form_view
from haven.people.forms import ContactPointForm, PersonForm, PersonSearchForm
from haven.people.services import contact_point_add, person_update


def _render_person(request, person, form=None, status=200):
    cases = list(
        cases_visible_to(request.actor)
        .filter(primary_victim=person)
        .select_related("assigned_to__user")
        .order_by("-received_at")
    )
    return render(
        request,
        "people/person_detail.html",
        {
            "person": person,
            "contact_points": person.contact_points.all(),
            "aliases": person.aliases.all(),
            "cases": cases,
            "contact_point_form": form or ContactPointForm(),
            "can_edit": request.actor.has(Perm.PERSON_EDIT),
            "can_see_reads": may_see_person_reads(request.actor, cases),
        },
        status=status,
    )


@staff_view(Perm.PERSON_VIEW)
def person_detail(request, person_id: int):
    return _render_person(request, access_person(request.actor, person_id))


@staff_view(Perm.PERSON_EDIT)
def contact_point_create(request, person_id: int):
    # The form shows the person: a GET is a read (audited by access_person), a POST a write.
    person = access_person(request.actor, person_id, write=request.method == "POST")
    add = partial(contact_point_add, actor=request.actor, person=person)

    def page(request, form, *, status, done=None):
        return _render_person(request, person, form, status=status)

    return form_view(
        request,
        bind_form(request, ContactPointForm),
        lambda d: add(**d),
        done=gettext("Contact point added."),
        then=reverse("people:detail", args=[person.pk]),
        page=page,
    )


@staff_view(Perm.PERSON_VIEW)
def person_search(request):
    form = PersonSearchForm(request.GET or None)
    results = None
    if form.is_valid():
        try:
            results = people_matching(request.actor, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error("phone", exc.messages)
    return render(
        request,
        "people/search.html",
        {"form": form, "results": results},
        status=400 if form.errors else 200,
    )


@staff_view(Perm.PERSON_EDIT)
def person_edit(request, person_id: int):
    # The form shows the person: a GET is a read (audited by access_person), a POST a write.
    person = access_person(request.actor, person_id, write=request.method == "POST")
    update = partial(person_update, actor=request.actor, person=person)
    return form_view(
        request,
        PersonForm.for_person(person, request.POST if request.method == "POST" else None),
        lambda d: update(**d),
        done=gettext("Details saved."),
        then=reverse("people:detail", args=[person.pk]),
        page=Page("people/person_edit.html", {"person": person}),
    )
