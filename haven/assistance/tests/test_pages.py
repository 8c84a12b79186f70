"""The services section of the case page, the services list, the "More…" page and removal,
as each role uses them: what they show, what they refuse, what they change."""

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from haven.assistance.models import ServiceProvided
from haven.assistance.tests.conftest import NON_CASEWORKER_ROLES
from haven.audit.models import AuditAction, AuditEvent
from haven.cases.models import CaseEvent, CaseEventKind
from haven.cases.services import case_change_status

pytestmark = pytest.mark.django_db
CASEWORKERS = ["advocate", "advocate2", "supervisor", "coordinator"]


def local_input(moment):
    """A datetime-local value in agency A's zone."""
    return timezone.localtime(moment, ZoneInfo("America/Chicago")).strftime("%Y-%m-%dT%H:%M")


def listed(response) -> str:
    """The services listed in the case page's section (after its forms)."""
    section = response.content.decode().split('id="services"')[1].split("</section>")[0]
    return section.split("</details>")[-1]


def new_url(case):
    return reverse("assistance:new", args=[case.pk])


@pytest.mark.parametrize("role", CASEWORKERS)
def test_caseworkers_see_the_one_tap_buttons_and_the_more_form_on_the_case_page(
    client_as, cast, role
):
    client = client_as(role)
    response = client.get(reverse("cases:detail", args=[cast.case_a.pk]))

    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="services"' in page and "Services given" in page
    assert 'name="sub_service" value="C1"' in page and ">Crisis intervention</button>" in page
    assert "None recorded yet." in page
    # "More…" loads its form when opened (htmx), or links to the form's page without it.
    assert "More services…" in page and "Dana Reyes (victim)" not in page
    url = new_url(cast.case_a)
    assert f'hx-get="{url}"' in page and f'href="{url}"' in page
    form = client.get(url, headers={"HX-Request": "true"})
    assert form.status_code == 200 and b"<html" not in form.content
    assert (
        "Dana Reyes (victim)" in form.content.decode()
        and f'hx-post="{url}"' in form.content.decode()
    )
    read = AuditEvent.objects.filter(actor_id=getattr(cast, role).user_id).order_by("-id").first()
    assert (read.action, read.object_id) == (AuditAction.CASE_VIEW, str(cast.case_a.pk))


def test_the_case_page_lists_the_services_newest_first_with_who_and_for_whom(
    client_as, cast, alice, provide, sister
):
    provide(alice, "A1", ago=timedelta(hours=2), duration_minutes=15, note="Court dates explained")
    provide(alice, "C4", person=sister, ago=timedelta(minutes=10))

    page = client_as("advocate").get(reverse("cases:detail", args=[cast.case_a.pk]))

    text = listed(page)
    assert text.index("Individual counseling") < text.index(
        "Information about the criminal justice process"
    )
    assert "for Lee Reyes" in text and "15 min" in text and "Court dates explained" in text
    assert "Alice Avery" in text


def test_one_tap_records_the_service_now_for_the_victim_and_returns_to_the_case(
    client_as, cast, new_audit_events
):
    before = timezone.now()

    response = client_as("advocate").post(new_url(cast.case_a), {"sub_service": "E10"})

    assert response.status_code == 302
    assert response.url == reverse("cases:detail", args=[cast.case_a.pk]) + "#services"
    service = ServiceProvided.objects.get(case=cast.case_a)
    assert (service.sub_service, service.category) == ("E10", "E")
    assert service.person == cast.victim_a
    assert service.provided_by == cast.advocate
    assert before <= service.provided_at <= timezone.now()
    [audit] = new_audit_events(action=AuditAction.SERVICE_PROVIDE)
    assert audit.object_id == str(service.pk) and audit.actor_label == "alice"
    followed = client_as("advocate").get(response.url).content.decode()
    assert "Recorded: Criminal advocacy/accompaniment, for Dana Reyes." in followed


def test_one_tap_over_htmx_returns_just_the_services_section(client_as, cast):
    response = client_as("advocate").post(
        new_url(cast.case_a), {"sub_service": "C1"}, headers={"HX-Request": "true"}
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in page and page.strip().startswith('<section id="services"')
    assert "Recorded: Crisis intervention" in page
    assert ServiceProvided.objects.filter(case=cast.case_a, sub_service="C1").count() == 1
    assert CaseEvent.objects.filter(case=cast.case_a, kind=CaseEventKind.SERVICE_PROVIDED).exists()


def test_the_more_form_records_a_service_for_a_relative_at_a_given_time(client_as, cast, sister):
    when = timezone.now() - timedelta(hours=1)

    response = client_as("advocate").post(
        new_url(cast.case_a),
        {
            "sub_service": "B9",
            "person": sister.pk,
            "provided_at": local_input(when),
            "duration_minutes": "40",
            "note": "Bus pass for the hearing.",
        },
    )

    assert response.status_code == 302
    service = ServiceProvided.objects.get(case=cast.case_a)
    assert (service.sub_service, service.person, service.duration_minutes) == ("B9", sister, 40)
    assert abs(service.provided_at - when) < timedelta(minutes=1)
    assert service.note == "Bus pass for the hearing."


def test_a_service_in_the_future_is_refused_on_the_form(client_as, cast):
    response = client_as("advocate").post(
        new_url(cast.case_a),
        {"sub_service": "C1", "provided_at": local_input(timezone.now() + timedelta(days=1))},
    )

    assert response.status_code == 400
    assert "That time is in the future" in response.content.decode()
    assert not ServiceProvided.objects.exists()


def test_over_htmx_a_refused_service_comes_back_on_the_open_form(client_as, cast):
    response = client_as("advocate").post(
        new_url(cast.case_a),
        {"sub_service": "C1", "provided_at": local_input(timezone.now() + timedelta(days=1))},
        headers={"HX-Request": "true"},
    )

    page = response.content.decode()
    assert response.status_code == 200  # htmx swaps only 2xx answers
    assert '<details class="margin-top-1" open>' in page and "That time is in the future" in page
    assert not ServiceProvided.objects.exists()


def test_an_unknown_code_posted_is_refused(client_as, cast):
    response = client_as("advocate").post(new_url(cast.case_a), {"sub_service": "Z9"})

    assert response.status_code == 400
    assert not ServiceProvided.objects.exists()


def test_a_person_not_on_the_case_is_refused_on_the_form(client_as, cast):
    response = client_as("advocate").post(
        new_url(cast.case_a),
        {"sub_service": "C1", "person": cast.case_b.primary_victim_id},
    )

    assert response.status_code == 400
    assert not ServiceProvided.objects.exists()


def test_the_more_page_offers_every_service_and_the_people_served(client_as, cast, sister):
    response = client_as("advocate").get(new_url(cast.case_a))

    page = response.content.decode()
    assert response.status_code == 200
    assert '<optgroup label="D. Shelter/housing services">' in page
    assert "Dana Reyes (victim)" in page and "Lee Reyes (family member)" in page
    assert AuditEvent.objects.filter(
        action=AuditAction.CASE_VIEW, object_id=str(cast.case_a.pk), actor_label="alice"
    ).exists()


@pytest.mark.parametrize("role", NON_CASEWORKER_ROLES)
def test_roles_that_do_not_work_cases_are_refused_every_services_page(
    client_as, cast, alice, provide, role
):
    entry = provide(alice, "A1")
    client = client_as(role)

    assert client.post(new_url(cast.case_a), {"sub_service": "C1"}).status_code == 403
    assert client.get(new_url(cast.case_a)).status_code == 403
    assert client.get(reverse("assistance:list", args=[cast.case_a.pk])).status_code == 403
    remove = reverse("assistance:remove", args=[entry.pk])
    assert client.post(remove, {"reason": "probe"}).status_code == 403
    assert ServiceProvided.objects.count() == 1
    assert ServiceProvided.objects.get(pk=entry.pk).removed_at is None


def test_an_advocate_narrowed_to_their_caseload_cannot_reach_a_colleagues_case(
    client_as, cast, alice, provide
):
    cast.agency_a.advocates_see_own_caseload_only = True
    cast.agency_a.save(update_fields=["advocates_see_own_caseload_only"])
    entry = provide(alice, "A1")
    client = client_as("advocate2")

    assert client.post(new_url(cast.case_a), {"sub_service": "C1"}).status_code == 404
    assert client.get(reverse("assistance:list", args=[cast.case_a.pk])).status_code == 404
    assert client.get(reverse("assistance:remove", args=[entry.pk])).status_code == 404
    assert ServiceProvided.objects.count() == 1
    # Alice, whose caseload it is, still records.
    mine = client_as("advocate").post(new_url(cast.case_a), {"sub_service": "C1"})
    assert mine.status_code == 302


def test_another_agencys_case_and_entries_are_not_found(client_as, cast, charlie, provide):
    entry_b = provide(charlie, "C1", case=cast.case_b)
    client = client_as("advocate")

    assert client.post(new_url(cast.case_b), {"sub_service": "C1"}).status_code == 404
    assert client.get(reverse("assistance:list", args=[cast.case_b.pk])).status_code == 404
    remove = reverse("assistance:remove", args=[entry_b.pk])
    assert client.post(remove, {"reason": "probe"}).status_code == 404
    assert ServiceProvided.objects.filter(case=cast.case_b).count() == 1
    assert ServiceProvided.objects.get(pk=entry_b.pk).removed_at is None


@pytest.mark.parametrize("role", CASEWORKERS)
def test_caseworkers_read_the_services_list(client_as, cast, alice, provide, role):
    provide(alice, "D3", note="Helped find an apartment.")

    response = client_as(role).get(reverse("assistance:list", args=[cast.case_a.pk]))

    page = response.content.decode()
    assert response.status_code == 200
    assert "Relocation assistance" in page and "Helped find an apartment." in page
    assert "1 service for Dana Reyes" in page


def test_the_recorder_removes_an_entry_with_a_reason(client_as, cast, alice, provide):
    entry = provide(alice, "A2")
    url = reverse("assistance:remove", args=[entry.pk])
    client = client_as("advocate")

    page = client.get(url)
    assert page.status_code == 200 and "A2 Information about victim rights" in page.content.decode()
    assert client.post(url, {"reason": ""}).status_code == 400
    assert ServiceProvided.objects.get(pk=entry.pk).removed_at is None

    response = client.post(url, {"reason": "Wrong person"})

    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.removal_reason == "Wrong person" and entry.removed_by == cast.advocate
    assert client.get(url).status_code == 404  # removed entries are gone from every page


def test_a_colleague_may_not_remove_anothers_entry(client_as, cast, alice, provide):
    entry = provide(alice, "A2")
    url = reverse("assistance:remove", args=[entry.pk])

    assert client_as("advocate2").get(url).status_code == 403
    assert client_as("advocate2").post(url, {"reason": "Mine now"}).status_code == 403
    assert ServiceProvided.objects.get(pk=entry.pk).removed_at is None


def test_only_entries_the_member_may_remove_show_a_remove_link(client_as, cast, alice, provide):
    entry = provide(alice, "A2")
    url = reverse("assistance:remove", args=[entry.pk])
    case_url = reverse("cases:detail", args=[cast.case_a.pk])

    assert url in client_as("advocate").get(case_url).content.decode()
    assert url not in client_as("advocate2").get(case_url).content.decode()
    assert url in client_as("supervisor").get(case_url).content.decode()


def test_an_ended_case_offers_no_one_tap_buttons_but_records_earlier_services(
    client_as, cast, alice
):
    case_change_status(actor=alice, case=cast.case_a, status="closed", reason="Services ended")
    cast.case_a.closed_at = timezone.now() - timedelta(hours=1)
    cast.case_a.save(update_fields=["closed_at"])
    client = client_as("advocate")

    page = client.get(reverse("cases:detail", args=[cast.case_a.pk])).content.decode()
    assert 'value="C1"' not in page.split('id="services"')[1].split("<details")[0]
    assert "Record a service given before the case ended" in page

    refused = client.post(new_url(cast.case_a), {"sub_service": "C1"})
    assert refused.status_code == 400 and "This case ended on" in refused.content.decode()
    earlier = timezone.now() - timedelta(hours=2)
    done = client.post(
        new_url(cast.case_a), {"sub_service": "A1", "provided_at": local_input(earlier)}
    )
    assert done.status_code == 302
    assert ServiceProvided.objects.filter(case=cast.case_a).count() == 1
