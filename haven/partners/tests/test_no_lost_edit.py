"""Two coordinators edit one partner organization, or one of its services, at once: the
second save is refused, the first stays."""

from datetime import date

from django.urls import reverse

from haven.core.actor import Actor
from haven.core.tests.edit_race import assert_conflict_page, race, second_coordinator, signed_in
from haven.partners import services
from haven.partners.models import Phone


def _shelter(cast):
    actor = Actor.system(cast.agency_a, "test")
    org = services.organization_save(actor=actor, name="Safe Harbor", phone="(312) 555-0190")
    svc = services.service_save(
        actor=actor, organization=org, name="Emergency shelter", needs=["shelter"]
    )
    return org, svc


def test_the_second_save_of_an_organization_gets_the_conflict_page(cast):
    org, _ = _shelter(cast)
    url = reverse("partners:organization_edit", args=[org.pk])
    cora, cole = signed_in(cast.coordinator), signed_in(second_coordinator(cast))

    one, two = race(
        url, cora, cole, {"phone": "(312) 555-0199"}, {"description": "Beds for 20 families."}
    )

    assert one.status_code == 302
    assert_conflict_page(two, "Main phone", "+13125550199", "Beds for 20 families.")
    org.refresh_from_db()
    assert (org.description, org.version) == ("", 2)
    # the second save's phone (the old one, unchanged in its form) did not come back either
    numbers = Phone.objects.filter(organization=org, service=None).values_list("number", flat=True)
    assert list(numbers) == ["+13125550199"]


def test_the_second_save_of_a_service_gets_the_conflict_page_and_its_needs_stay(cast):
    org, svc = _shelter(cast)
    url = reverse("partners:service_edit", args=[svc.pk])
    cora, cole = signed_in(cast.coordinator), signed_in(second_coordinator(cast))

    one, two = race(
        url, cora, cole, {"needs": ["shelter", "hotline"]}, {"name": "Shelter beds", "needs": []}
    )

    assert one.status_code == 302
    assert_conflict_page(two, "Shelter beds", "Emergency shelter", "Differs")
    svc.refresh_from_db()
    assert (svc.name, svc.version) == ("Emergency shelter", 2)
    assert sorted(svc.needs.values_list("code", flat=True)) == ["hotline", "shelter"]


def test_the_second_save_of_a_location_gets_the_conflict_page_and_its_address_stays(cast):
    org, _ = _shelter(cast)
    loc = services.location_save(
        actor=Actor.system(cast.agency_a, "test"),
        organization=org,
        name="Main office",
        location_type="physical",
        address={
            "address_1": "100 Main St",
            "city": "Riverside",
            "state_province": "IL",
            "postal_code": "60546",
        },
    )
    url = reverse("partners:location_edit", args=[loc.pk])
    cora, cole = signed_in(cast.coordinator), signed_in(second_coordinator(cast))

    one, two = race(
        url, cora, cole, {"address_1": "200 Oak St"}, {"transportation": "Bus 7 to Oak St."}
    )

    assert one.status_code == 302
    assert_conflict_page(two, "Getting there", "Bus 7 to Oak St.", "200 Oak St", "Differs")
    loc.refresh_from_db()
    assert (loc.transportation, loc.version) == ("", 2)
    assert loc.addresses.get().address_1 == "200 Oak St"


def test_the_second_save_of_an_mou_gets_the_conflict_page_and_its_services_stay(cast):
    org, svc = _shelter(cast)
    mou = services.mou_save(
        actor=Actor.system(cast.agency_a, "test"),
        organization=org,
        title="Shelter referrals",
        starts_on=date(2026, 1, 1),
        ends_on=date(2026, 12, 31),
    )
    url = reverse("partners:mou_edit", args=[mou.pk])
    cora, cole = signed_in(cast.coordinator), signed_in(second_coordinator(cast))

    one, two = race(
        url, cora, cole, {"services": [str(svc.pk)]}, {"ends_on": "2027-06-30", "services": []}
    )

    assert one.status_code == 302
    assert_conflict_page(two, "Until (included)", "2027-06-30", "Emergency shelter", "Differs")
    mou.refresh_from_db()
    assert (mou.ends_on, mou.version) == (date(2026, 12, 31), 2)
    assert list(mou.services.all()) == [svc]
