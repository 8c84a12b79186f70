"""Two coordinators edit one partner organization, or one of its services, at once: the
second save is refused, the first stays."""

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
