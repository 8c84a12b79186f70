"""Two coordinators change the on-call coverage settings at once: the second save is
refused, the first stays."""

from django.urls import reverse

from haven.core.tests.edit_race import assert_conflict_page, race, second_coordinator, signed_in
from haven.oncall.models import OnCallSettings


def test_the_second_save_of_the_coverage_settings_gets_the_conflict_page(cast):
    one, two = race(
        reverse("oncall:roster"),
        signed_in(cast.coordinator),
        signed_in(second_coordinator(cast)),
        {"settings-hotline": "(312) 555-0100"},
        {"settings-hotline": "(312) 555-0199"},
        post_to=reverse("oncall:settings"),
    )

    assert one.status_code == 302
    page = assert_conflict_page(two, "Hotline for when the unit is closed", "(312) 555-0199")
    assert 'name="settings-version" value="2"' in page
    saved = OnCallSettings.objects.get(agency=cast.agency_a)
    assert (saved.hotline, saved.version) == ("+13125550100", 2)
