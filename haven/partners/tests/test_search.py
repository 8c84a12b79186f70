"""services_search: by need, language, place and words; only the agency's active partners."""

import pytest
from django.core.exceptions import PermissionDenied

from haven.core.actor import Actor
from haven.partners import services
from haven.partners.selectors import services_search
from haven.partners.tests.helpers import build_directory


@pytest.fixture
def directory(cast):
    build_directory(cast.agency_b, prefix="Lakeside ")  # must never show up for agency A
    return build_directory(cast.agency_a)


def names(qs) -> list[str]:
    return [s.name for s in qs]


def test_without_filters_it_lists_every_active_service_of_active_partners(alice, directory):
    assert names(services_search(alice)) == ["Protective order help", "Emergency shelter"]


def test_it_finds_services_by_need(alice, directory):
    assert names(services_search(alice, need="shelter")) == ["Emergency shelter"]
    assert names(services_search(alice, need="legal_aid")) == ["Protective order help"]
    assert names(services_search(alice, need="immigration")) == []


def test_it_finds_services_by_the_language_spoken(alice, directory):
    assert names(services_search(alice, language="pl")) == ["Protective order help"]
    assert names(services_search(alice, language="ES")) == ["Emergency shelter"]
    assert len(services_search(alice, language="en")) == 2


def test_it_finds_services_by_city_zip_code_or_service_area(alice, directory):
    assert names(services_search(alice, place="springfield")) == ["Protective order help"]
    assert names(services_search(alice, place="627")) == ["Protective order help"]
    assert names(services_search(alice, place="60546")) == ["Emergency shelter"]
    assert names(services_search(alice, place="Cook")) == ["Emergency shelter"]
    assert names(services_search(alice, place="Boston")) == []


def test_it_finds_words_in_names_descriptions_and_eligibility(alice, directory):
    assert names(services_search(alice, text="family court")) == ["Protective order help"]
    assert names(services_search(alice, text="harbor")) == ["Emergency shelter"]
    assert names(services_search(alice, text="children")) == ["Emergency shelter"]


def test_filters_combine(alice, directory):
    assert names(services_search(alice, need="shelter", language="pl")) == []
    assert names(services_search(alice, need="advocacy", language="pl", place="Springfield")) == [
        "Protective order help"
    ]


def test_inactive_partners_and_closed_services_are_left_out_unless_asked(alice, cast, directory):
    services.service_save(
        actor=Actor.system(cast.agency_a, "test"),
        organization=directory["shelter"],
        service=directory["beds"],
        status="temporarily closed",
    )

    assert names(services_search(alice)) == ["Protective order help"]
    assert set(names(services_search(alice, include_inactive=True))) == {
        "Protective order help",
        "Emergency shelter",
        "Crisis counseling",
    }


def test_a_result_carries_what_a_specialist_needs_in_a_fixed_number_of_queries(
    alice, directory, django_assert_max_num_queries
):
    with django_assert_max_num_queries(15):
        results = list(services_search(alice))
        shelter = results[1]
        assert [h.text for h in shelter.schedules.all()] == ["24 hours, every day"]
        assert [str(lang) for lang in shelter.languages.all()] == ["English", "Spanish"]
        assert shelter.ages_text == "18 and older"
        assert shelter.at_locations.all()[0].location.addresses.all()[0].city == "Riverside"
        assert [p.number for p in shelter.phones.all()] == ["+13125550191"]
        orders = results[0]
        assert [h.text for h in orders.schedules.all()] == ["Mon–Fri 9:00 AM–5:00 PM"]
        assert [c.name for c in orders.contacts.all()] == ["Pat Lawson"]


@pytest.mark.parametrize("role", ["officer", "analyst", "auditor"])
def test_only_caseworkers_search_the_directory(cast, directory, role):
    with pytest.raises(PermissionDenied):
        services_search(cast.actor(role))


def test_another_agency_sees_only_its_own_partners(charlie, directory):
    assert {s.organization.name for s in services_search(charlie)} == {
        "Lakeside Safe Harbor Shelter",
        "Lakeside Prairie Legal Aid",
    }
