"""The safety plan pages as each role uses them: what they show, what they refuse, what they
change, and the printed page in the person's language."""

import re

import pytest
from django.urls import reverse

from haven.agencies.models import Agency
from haven.audit.models import AuditAction, AuditEvent
from haven.cases.services import case_change_status
from haven.people.services import person_update
from haven.safety.models import SafetyPlan, SafetyPlanRevision
from haven.safety.tests.conftest import CODE_WORD, NON_CASEWORKER_ROLES, SECRET_PLACE

pytestmark = pytest.mark.django_db

ROUTES = ["safety:detail", "safety:revise", "safety:print"]


def url(name, case, person=None, query=""):
    return reverse(name, args=[case.pk, (person or case.primary_victim).pk]) + query


def plan_views(**filters):
    actions = [AuditAction.SAFETY_PLAN_VIEW, AuditAction.SAFETY_PLAN_PRINT]
    return AuditEvent.objects.filter(action__in=actions, **filters).count()


def form_data(**sections):
    data = {"language": "en", "note": "", "based_on": ""}
    return data | sections


def test_the_case_page_offers_to_write_a_plan_for_the_victim_and_the_people_served(
    client_as, cast, sister, witness
):
    response = client_as("advocate").get(reverse("cases:detail", args=[cast.case_a.pk]))

    page = response.content.decode()
    assert response.status_code == 200
    section = page[page.index('id="safety-plans"') :]
    section = section[: section.index("</section>")]
    assert section.count("No safety plan yet.") == 2  # Dana and her sister, not the witness
    assert "Lee Reyes" in section and "Wade Witt" not in section
    assert url("safety:revise", cast.case_a) in section
    assert url("safety:revise", cast.case_a, sister) in section
    assert not SafetyPlan.objects.exists()


def test_the_case_page_shows_who_last_revised_the_plan_but_never_its_text(
    client_as, cast, alice, revise
):
    revise(alice, safe_places=SECRET_PLACE)
    revise(alice, safe_places=SECRET_PLACE, people_to_call=CODE_WORD)

    response = client_as("supervisor").get(reverse("cases:detail", args=[cast.case_a.pk]))

    page = response.content.decode()
    assert response.status_code == 200
    assert re.search(r"Revision 2 · last revised .* by Alice Avery", page)
    assert "Revise<span" in page and url("safety:print", cast.case_a) in page
    assert "Elm" not in page and CODE_WORD not in page
    assert "Revision 2 revised: People to call" in page  # the timeline line
    assert plan_views() == 0  # the case page reads no plan


def test_an_advocate_writes_the_first_plan_through_the_form(client_as, cast, new_audit_events):
    client = client_as("advocate")
    form = client.get(url("safety:revise", cast.case_a))
    assert form.status_code == 200
    page = form.content.decode()
    assert "Write the safety plan" in page
    assert "What tells you things are getting dangerous" in page  # a prompt, as a hint
    assert page.count("<textarea") == 8

    response = client.post(
        url("safety:revise", cast.case_a),
        form_data(
            warning_signs="He drinks on Fridays.\r\nThreats by text.",
            safe_places=SECRET_PLACE,
            based_on="0",
            note="First plan.",
        ),
    )

    assert response.status_code == 302 and response.url == url("safety:detail", cast.case_a)
    revision = SafetyPlanRevision.objects.get()
    assert revision.sections["warning_signs"] == "He drinks on Fridays.\nThreats by text."
    assert (revision.number, revision.created_by, revision.note) == (
        1,
        cast.advocate,
        "First plan.",
    )
    assert [e.action for e in new_audit_events() if e.action.startswith("safety.")] == [
        AuditAction.SAFETY_PLAN_VIEW,  # the form (empty yet) is a read of the plan
        AuditAction.SAFETY_PLAN_REVISE,
    ]
    shown = client.get(response.url)
    assert "Safety plan written: revision 1." in shown.content.decode()


def test_the_form_is_prefilled_with_the_current_revision_in_its_language(
    client_as, cast, alice, revise
):
    revise(alice, children="Kids go to the neighbour.", language="es")

    response = client_as("advocate").get(url("safety:revise", cast.case_a))

    page = response.content.decode()
    assert response.status_code == 200
    assert "Revise the safety plan" in page
    assert "Kids go to the neighbour.</textarea>" in page
    assert '<option value="es" selected>' in page
    assert 'name="based_on" value="1"' in page
    assert plan_views(action=AuditAction.SAFETY_PLAN_VIEW) == 1


def test_a_new_plan_is_offered_in_the_persons_language(client_as, cast, sam):
    person_update(actor=sam, person=cast.victim_a, preferred_language="es")

    response = client_as("advocate").get(url("safety:revise", cast.case_a))

    assert '<option value="es" selected>' in response.content.decode()
    assert not SafetyPlan.objects.exists()


def test_an_empty_form_shows_the_services_error_and_saves_nothing(client_as, cast):
    response = client_as("advocate").post(url("safety:revise", cast.case_a), form_data())

    assert response.status_code == 400
    assert "Write at least one section of the plan." in response.content.decode()
    assert not SafetyPlan.objects.exists()


def test_a_too_long_section_is_marked_on_its_field(client_as, cast):
    response = client_as("advocate").post(
        url("safety:revise", cast.case_a), form_data(children="x" * 4001)
    )

    page = response.content.decode()
    assert response.status_code == 400
    assert "Keep “Children” to 4000 characters (it has 4001)." in page
    assert "usa-form-group--error" in page
    assert not SafetyPlanRevision.objects.exists()


def test_a_stale_form_keeps_the_writers_text_and_saves_nothing(client_as, cast, alice, bob, revise):
    revise(alice, warning_signs="Drinking.")
    revise(bob, warning_signs="Drinking; threats.")

    response = client_as("advocate").post(
        url("safety:revise", cast.case_a),
        form_data(warning_signs="Drinking; he moved out.", based_on="1"),
    )

    page = response.content.decode()
    assert response.status_code == 409  # the conflict page every edit form shares
    assert "You started from version 1; while you were editing, someone saved version 2" in page
    assert "Drinking; he moved out." in page and "Drinking; threats." in page
    assert 'name="based_on" value="2"' in page  # saving it again starts from revision 2
    assert SafetyPlanRevision.objects.count() == 2


def test_the_plan_page_shows_the_current_revision_and_the_history(
    client_as, cast, alice, sam, revise
):
    revise(alice, warning_signs="Drinking.", note="First plan.")
    revise(sam, warning_signs="Drinking; threats.", children="Neighbour", note="Threats.")

    response = client_as("advocate").get(url("safety:detail", cast.case_a))

    page = response.content.decode()
    assert response.status_code == 200
    assert "Current plan: revision 2" in page and "Drinking; threats." in page
    history = page[page.index('id="history-heading"') :]
    assert history.index("Revision 2") < history.index("Revision 1")
    assert "Changed: Warning signs, Children" in history and "Sam Sutter" in history
    assert "First plan." in history and "Alice Avery" in history
    [event] = AuditEvent.objects.filter(action=AuditAction.SAFETY_PLAN_VIEW)
    plan = SafetyPlan.objects.get()
    assert (event.object_id, event.actor_label) == (str(plan.pk), "alice")
    assert event.details == {"case": cast.case_a.pk, "person": cast.victim_a.pk}


def test_an_older_revision_can_be_read_and_a_missing_one_is_404(client_as, cast, alice, revise):
    revise(alice, warning_signs="Drinking.")
    revise(alice, warning_signs="Drinking; threats.")
    client = client_as("advocate")

    older = client.get(url("safety:detail", cast.case_a, query="?revision=1"))
    missing = client.get(url("safety:detail", cast.case_a, query="?revision=9"))

    page = older.content.decode()
    assert older.status_code == 200
    assert (
        "An older revision: 1 of 2" in page
        and '<p class="haven-note margin-top-0">Drinking.</p>' in page
    )
    assert missing.status_code == 404
    assert SafetyPlanRevision.objects.count() == 2


def test_a_plan_of_a_served_relative_has_its_own_pages(client_as, cast, alice, revise, sister):
    revise(alice, person=sister, children="Picks up the kids.")

    response = client_as("advocate").get(url("safety:detail", cast.case_a, sister))

    assert response.status_code == 200
    assert "Safety plan <span" in response.content.decode()
    assert "Picks up the kids." in response.content.decode()
    assert SafetyPlan.objects.get().person == sister


def test_a_person_not_served_by_the_case_has_no_plan_pages(client_as, cast, witness):
    client = client_as("advocate")

    statuses = [client.get(url(name, cast.case_a, witness)).status_code for name in ROUTES]
    posted = client.post(url("safety:revise", cast.case_a, witness), form_data(children="x"))

    assert statuses == [404, 404, 404] and posted.status_code == 404
    assert not SafetyPlan.objects.exists()


def test_a_supervisor_and_a_coordinator_can_revise(client_as, cast, alice, revise):
    revise(alice, warning_signs="Drinking.")

    for number, role in enumerate(["supervisor", "coordinator"], start=2):
        response = client_as(role).post(
            url("safety:revise", cast.case_a),
            form_data(warning_signs=f"Drinking, said {role}.", based_on=str(number - 1)),
        )
        assert response.status_code == 302, role

    assert [r.created_by for r in SafetyPlanRevision.objects.order_by("number")] == [
        cast.advocate,
        cast.supervisor,
        cast.coordinator,
    ]


@pytest.mark.parametrize("role", NON_CASEWORKER_ROLES)
def test_officers_analysts_and_auditors_never_reach_a_plan_by_any_route(
    client_as, cast, alice, revise, role
):
    revise(alice, safe_places=SECRET_PLACE, people_to_call=CODE_WORD)
    client = client_as(role)
    before = plan_views()

    for name in ROUTES:
        for method in ("get", "post"):
            data = form_data(safe_places="overwritten") if method == "post" else None
            response = getattr(client, method)(url(name, cast.case_a), data)
            where = f"{method.upper()} {name} as {role}"
            assert response.status_code in (403, 404, 405), where
            body = response.content.decode()
            assert "Elm" not in body and CODE_WORD not in body, where
    case_page = client.get(reverse("cases:detail", args=[cast.case_a.pk]))

    assert case_page.status_code in (403, 404)
    assert plan_views() == before
    assert SafetyPlanRevision.objects.count() == 1
    assert SafetyPlanRevision.objects.get().sections["safe_places"] == SECRET_PLACE


def test_another_agencys_advocate_gets_404_on_every_route(client_as, cast, alice, revise):
    revise(alice, safe_places=SECRET_PLACE)
    client = client_as("other_advocate")

    for name in ROUTES:
        assert client.get(url(name, cast.case_a)).status_code == 404, name
    posted = client.post(url("safety:revise", cast.case_a), form_data(children="x"))

    assert posted.status_code == 404
    assert SafetyPlanRevision.objects.count() == 1
    assert plan_views() == 0


def test_an_advocate_limited_to_their_caseload_gets_404_on_a_colleagues_case(
    client_as, cast, alice, revise
):
    revise(alice, safe_places=SECRET_PLACE)
    Agency.objects.filter(pk=cast.agency_a.pk).update(advocates_see_own_caseload_only=True)
    client = client_as("advocate2")

    statuses = [client.get(url(name, cast.case_a)).status_code for name in ROUTES]

    assert statuses == [404, 404, 404]
    assert plan_views() == 0


def test_an_ended_case_shows_the_plan_but_no_longer_offers_to_revise(
    client_as, cast, alice, sam, revise
):
    revise(alice, warning_signs="Drinking.")
    case_change_status(actor=sam, case=cast.case_a, status="declined", reason="Moved away")
    client = client_as("advocate")

    shown = client.get(url("safety:detail", cast.case_a))
    posted = client.post(url("safety:revise", cast.case_a), form_data(warning_signs="New."))

    assert shown.status_code == 200 and "This case has ended" in shown.content.decode()
    assert url("safety:revise", cast.case_a) not in shown.content.decode()
    assert posted.status_code == 400
    assert SafetyPlanRevision.objects.count() == 1


def test_the_print_view_is_in_spanish_for_a_plan_in_spanish(client_as, cast, alice, sam, revise):
    Agency.objects.filter(pk=cast.agency_a.pk).update(phone="+13125550100")
    person_update(actor=sam, person=cast.victim_a, preferred_language="es")
    revise(
        alice, safe_places=SECRET_PLACE, people_to_call=f"Palabra clave: {CODE_WORD}", language="es"
    )

    response = client_as("advocate").get(url("safety:print", cast.case_a))

    page = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="es">' in page
    assert "Riverside Police Department Victim Services" in page
    assert "(312) 555-0100" in page
    assert "<h1>Plan de seguridad</h1>" in page
    assert "Para: <strong>Dana Reyes</strong>" in page
    assert re.search(r"Fecha: \d{1,2} de \w+ de 20\d\d", page)  # a date the Spanish way
    assert "<h2>Señales de alerta</h2>" in page and "<h2>Lugares seguros adonde ir</h2>" in page
    assert "En una emergencia, llame al 911." in page
    assert SECRET_PLACE.replace("'", "&#x27;") in page  # the specialist's text, as written
    assert f"Palabra clave: {CODE_WORD}" in page
    assert "usa-nav" not in page and "Sign out" not in page  # no navigation
    assert "print-page.css" in page  # the print rules (a file: the CSP forbids inline styles)
    [event] = AuditEvent.objects.filter(action=AuditAction.SAFETY_PLAN_PRINT)
    assert event.details == {"case": cast.case_a.pk, "person": cast.victim_a.pk}


def test_the_print_view_can_print_the_headings_in_another_language(client_as, cast, alice, revise):
    revise(alice, warning_signs="Drinking.", language="en")

    response = client_as("advocate").get(url("safety:print", cast.case_a, query="?lang=es"))

    page = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Plan de seguridad</h1>" in page and "Drinking." in page
    assert SafetyPlanRevision.objects.get().language == "en"  # the plan itself is unchanged


def test_the_print_view_falls_back_to_english_with_a_note_for_other_languages(
    client_as, cast, alice, revise
):
    # Polish, Chinese and Arabic print in their own words now (issue 14): Vietnamese does not.
    revise(alice, warning_signs="Uống rượu vào thứ Sáu.", language="vi")

    response = client_as("advocate").get(url("safety:print", cast.case_a))

    page = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="en">' in page and "<h1>Safety plan</h1>" in page
    assert "Haven has no headings in Vietnamese yet: they print in English." in page
    assert "Uống rượu vào thứ Sáu." in page
    assert AuditEvent.objects.filter(action=AuditAction.SAFETY_PLAN_PRINT).count() == 1


def test_there_is_nothing_to_print_before_the_first_revision(client_as, cast):
    response = client_as("advocate").get(url("safety:print", cast.case_a))

    assert response.status_code == 404
    assert not SafetyPlan.objects.exists()
    assert plan_views() == 0


def test_no_safety_route_reaches_another_agencys_plan_as_any_role(client, cast, charlie, revise):
    revise(charlie, case=cast.case_b, safe_places=SECRET_PLACE, people_to_call=CODE_WORD)
    roles = ["advocate", "advocate2", "supervisor", "coordinator", *NON_CASEWORKER_ROLES]

    for role in roles:
        client.force_login(getattr(cast, role).user)
        for name in ROUTES:
            for method in ("get", "post"):
                data = form_data(safe_places="overwritten") if method == "post" else None
                response = getattr(client, method)(url(name, cast.case_b), data)
                where = f"{method.upper()} {name} as {role}"
                assert response.status_code in (403, 404), where
                body = response.content.decode()
                assert "Erin" not in body and CODE_WORD not in body, where

    revision = SafetyPlanRevision.objects.get()
    assert revision.number == 1 and revision.sections["safe_places"] == SECRET_PLACE
    assert plan_views(agency_id=cast.agency_a.pk) == 0


@pytest.mark.parametrize(
    ("language", "title", "heading", "html"),
    [
        ("pl", "Plan bezpieczeństwa", "Sygnały ostrzegawcze", '<html lang="pl">'),
        ("zh", "安全计划", "危险信号", '<html lang="zh-hans">'),
        ("ar", "خطة السلامة", "علامات الخطر", '<html lang="ar" dir="rtl">'),
    ],
)
def test_the_print_view_speaks_polish_chinese_and_arabic(
    client_as, cast, alice, sam, revise, language, title, heading, html
):
    person_update(actor=sam, person=cast.victim_a, preferred_language=language)
    revise(alice, warning_signs="Written as said.", language=language)
    page = client_as("advocate").get(url("safety:print", cast.case_a)).content.decode()
    assert html in page and f"<h1>{title}</h1>" in page and f"<h2>{heading}</h2>" in page
    assert "Haven has no headings" not in page
    assert "Written as said." in page
