"""Two coordinators change the release settings at once, the first before any was saved: the
second save is refused, the first stays."""

from django.urls import reverse

from haven.consent.models import ConsentSettings
from haven.core.tests.edit_race import assert_conflict_page, race, second_coordinator, signed_in


def test_the_second_save_of_the_release_settings_gets_the_conflict_page(cast):
    one, two = race(
        reverse("consent:settings"),
        signed_in(cast.coordinator),
        signed_in(second_coordinator(cast)),
        {"default_days": "90"},
        {"expiring_window_days": "30"},
    )

    assert one.status_code == 302
    assert_conflict_page(two, "“Expiring soon” looks ahead (days)", "30", "90", "Differs")
    saved = ConsentSettings.objects.get(agency=cast.agency_a)
    assert (saved.default_days, saved.version) == (90, 2)
    assert saved.expiring_window_days != 30
