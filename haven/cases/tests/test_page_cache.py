"""A case page viewed again is its body from the cache (cases/page_cache.py) until the case
changes, for that reader only, in their language, and never older than a minute; every view is
still access-checked and audited."""

from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from haven.agencies.models import Agency, Membership
from haven.audit.models import AuditAction, AuditEvent
from haven.cases.page_cache import LIFETIME
from haven.people.models import ContactKind
from haven.people.services import contact_point_add

pytestmark = pytest.mark.django_db

# The session, the user, the membership, the case with its stamp, and the read's access event:
# what a view from the cache costs.
CACHED_VIEW_QUERIES = 5


def case_url(cast) -> str:
    return reverse("cases:detail", args=[cast.case_a.pk])


def body(response) -> str:
    html = response.content.decode()
    return html[html.index('<div id="case-page">') :]


def view(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return response, len(ctx)


def test_a_second_view_is_the_same_page_from_the_cache_and_still_audited(client_as, cast):
    client = client_as("advocate")
    url = case_url(cast)
    client.get(url)  # the first view sets the CSRF cookie the body's forms are made for
    first, rendered_queries = view(client, url)
    second, cached_queries = view(client, url)

    assert body(second) == body(first)
    assert cached_queries == CACHED_VIEW_QUERIES < rendered_queries
    reads = AuditEvent.objects.filter(
        action=AuditAction.CASE_VIEW, object_id=str(cast.case_a.pk), actor_id=cast.advocate.user_id
    )
    assert reads.count() == 3


def test_a_note_added_shows_on_the_next_view(client_as, cast):
    client = client_as("advocate")
    url = case_url(cast)
    client.get(url)
    client.get(url)
    response = client.post(
        reverse("cases:note_create", args=[cast.case_a.pk]),
        {"body": "Prefers a call on Tuesday mornings.", "visibility": "shareable"},
    )
    assert response.status_code == 302

    shown, queries = view(client, url)
    assert "Prefers a call on Tuesday mornings." in shown.content.decode()
    assert queries > CACHED_VIEW_QUERIES


def test_a_phone_number_added_on_the_persons_page_shows_on_the_next_view(client_as, cast, sam):
    client = client_as("advocate")
    url = case_url(cast)
    client.get(url)
    client.get(url)
    contact_point_add(
        actor=sam, person=cast.case_a.primary_victim, kind=ContactKind.PHONE, value="(773) 555-0177"
    )
    assert "(773) 555-0177" in client.get(url).content.decode()


def test_an_agency_setting_changed_shows_on_the_next_view(client_as, cast):
    client = client_as("advocate")
    url = case_url(cast)
    client.get(url)
    assert "past the 1-hour goal" not in client.get(url).content.decode()
    Agency.objects.filter(pk=cast.agency_a.pk).update(first_contact_goal_hours=1)
    assert "past the 1-hour goal" in client.get(url).content.decode()


def test_each_reader_gets_their_own_page(cast):
    url = case_url(cast)
    advocate, supervisor = Client(), Client()
    advocate.force_login(cast.advocate.user)
    supervisor.force_login(cast.supervisor.user)
    reassign = reverse("cases:assign", args=[cast.case_a.pk])
    for _ in range(2):
        assert reassign not in advocate.get(url).content.decode()
        assert reassign in supervisor.get(url).content.decode()


def test_the_page_in_the_readers_language(client_as, cast):
    client = client_as("advocate")
    url = case_url(cast)
    client.get(url)
    assert "Timeline" in client.get(url).content.decode()
    Membership.objects.filter(pk=cast.advocate.pk).update(language="es")
    assert "Cronología" in client.get(url).content.decode()


AFRESH = [
    ("?timeline=all", {}),
    ("?form=note", {}),
    ("?panel=justice", {}),
    ("", {"HX-Request": "true"}),
]


@pytest.mark.parametrize("suffix, headers", AFRESH)
def test_a_view_with_a_question_or_an_htmx_swap_is_rendered_afresh(
    client_as, cast, suffix, headers
):
    client = client_as("advocate")
    url = case_url(cast)
    client.get(url)
    client.get(url)
    for _ in range(2):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url + suffix, headers=headers).status_code == 200
        assert len(ctx) > CACHED_VIEW_QUERIES


def test_a_page_is_kept_at_most_a_minute(client_as, cast):
    client = client_as("advocate")
    url = case_url(cast)
    with time_machine.travel(timezone.now(), tick=False) as clock:
        client.get(url)
        client.get(url)
        assert view(client, url)[1] == CACHED_VIEW_QUERIES
        clock.shift(timedelta(seconds=LIFETIME + 1))
        assert view(client, url)[1] > CACHED_VIEW_QUERIES


def test_a_first_view_without_a_csrf_cookie_is_not_kept(cast):
    """Its forms' tokens are made from a secret made while rendering it: another browser's."""
    url = case_url(cast)
    for _ in range(2):
        client = Client()
        client.force_login(cast.advocate.user)
        assert view(client, url)[1] > CACHED_VIEW_QUERIES
