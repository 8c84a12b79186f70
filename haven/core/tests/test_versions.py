"""The one mechanism behind "no lost edit" (haven/core/versions.py): a save names the version
it started from; of two saves from one version exactly one is written."""

from datetime import time

import pytest
from django.db import connection  # noqa: F401 - the skipif conditions read it
from django_scopes import scopes_disabled

from haven.cases.testing import build_cast
from haven.core.actor import Actor
from haven.core.api import exception_handler
from haven.core.testing import at_once
from haven.core.versions import StaleEdit
from haven.followup.models import FollowUpSettings
from haven.followup.services import followup_settings_save
from haven.partners import services as partners
from haven.partners.models import Service
from haven.people.models import Person
from haven.people.services import person_update


def on_postgresql(test):
    """Real concurrent writers: PostgreSQL (CI's second pass; locally HAVEN_DATABASE_URL, see
    docs/testing.md). SQLite serializes writers anyway (BEGIN IMMEDIATE)."""
    test = pytest.mark.django_db(transaction=True)(test)
    return pytest.mark.skipif(
        "connection.vendor != 'postgresql'",
        reason="SQLite's shared-cache test database cannot take concurrent writers",
    )(test)


def _at_once(calls) -> list[str]:
    """Each call in its own thread and connection, released together: "saved", "stale" or
    the error it met."""
    return at_once(calls, done="saved", refused=StaleEdit, say=lambda exc: "stale")


@pytest.fixture
def built():
    with scopes_disabled():
        yield build_cast()


@on_postgresql
def test_two_threads_saving_a_person_from_one_version_write_exactly_one(built):
    cast = built
    alice, sam = cast.actor("advocate"), cast.actor("supervisor")

    def save(actor, name, version):
        # each thread reads the person itself, as each request would
        def call():
            person = Person.objects.get(pk=cast.victim_a.pk)
            person_update(actor=actor, person=person, preferred_name=name, version=version)

        return call

    for n in range(5):
        start = Person.objects.get(pk=cast.victim_a.pk).version
        outcomes = _at_once([save(alice, f"Alice {n}", start), save(sam, f"Sam {n}", start)])
        assert sorted(outcomes) == ["saved", "stale"], outcomes
        person = Person.objects.get(pk=cast.victim_a.pk)
        winner = "Alice" if outcomes[0] == "saved" else "Sam"
        assert (person.preferred_name, person.version) == (f"{winner} {n}", start + 1)


@on_postgresql
def test_two_threads_saving_a_service_and_its_needs_write_exactly_one(built):
    cast = built
    actor = Actor.system(cast.agency_a, "test")
    org = partners.organization_save(actor=actor, name="Safe Harbor")
    svc = partners.service_save(actor=actor, organization=org, name="Shelter", needs=["shelter"])

    def save(needs, name):
        def call():
            fresh = Service.objects.get(pk=svc.pk)
            partners.service_save(
                actor=actor, organization=org, service=fresh, needs=needs, name=name, version=1
            )

        return call

    outcomes = _at_once([save(["hotline"], "Beds"), save(["legal_aid"], "Cots")])

    assert sorted(outcomes) == ["saved", "stale"], outcomes
    svc.refresh_from_db()
    needs = list(svc.needs.values_list("code", flat=True))
    assert (svc.name, needs) == (
        ("Beds", ["hotline"]) if outcomes[0] == "saved" else ("Cots", ["legal_aid"])
    )
    assert svc.version == 2


def test_settings_still_at_their_defaults_refuse_the_second_of_two_first_saves(cast):
    cora = cast.actor("coordinator")
    followup_settings_save(actor=cora, skip_closed_days=True, default_time=time(9), version=1)

    with pytest.raises(StaleEdit):
        followup_settings_save(actor=cora, skip_closed_days=False, default_time=time(11), version=1)

    saved = FollowUpSettings.objects.get(agency=cast.agency_a)
    assert (saved.default_time, saved.version) == (time(9), 2)


def test_the_api_answers_a_stale_save_with_409_and_the_saved_version(cast):
    person = cast.victim_a
    response = exception_handler(StaleEdit(current=person, sent=0), {})

    assert response.status_code == 409
    assert response.data["version"] == person.version
    assert "Nothing was saved" in response.data["detail"]
