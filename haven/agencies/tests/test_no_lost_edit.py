"""Two coordinators change the agency's settings at once: the second save is refused, the
first stays."""

from django.urls import reverse

from haven.agencies.models import Agency
from haven.core.tests.edit_race import assert_conflict_page, race, second_coordinator, signed_in


def test_the_second_save_of_the_agency_settings_gets_the_conflict_page(cast):
    url = reverse("agencies:settings")

    one, two = race(
        url,
        signed_in(cast.coordinator),
        signed_in(second_coordinator(cast)),
        {"first_contact_goal_hours": "48"},
        {"dv_hotline_name": "Riverside DV line", "dv_hotline_phone": "(800) 799-7233"},
    )

    assert one.status_code == 302
    assert_conflict_page(two, "Riverside DV line", "48", "Differs")
    agency = Agency.objects.get(pk=cast.agency_a.pk)
    assert (agency.first_contact_goal_hours, agency.dv_hotline_name) == (48, "")
    assert agency.version == 2
