from django.shortcuts import render

from haven.agencies.roles import Perm
from haven.cases.selectors import cases_visible_to
from haven.core.decorators import staff_view
from haven.people.access import access_person


@staff_view(Perm.PERSON_VIEW)
def person_detail(request, person_id: int):
    person = access_person(request.actor, person_id)
    cases = (
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
        },
    )
