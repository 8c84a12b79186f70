"""Two coordinators change the notice settings at once: the second save is refused, the first
stays."""

from django.urls import reverse

from haven.core.tests.edit_race import assert_conflict_page, race, second_coordinator, signed_in
from haven.notices.models import NoticeSettings


def test_the_second_save_of_the_notice_settings_gets_the_conflict_page(cast):
    one, two = race(
        reverse("notices:settings"),
        signed_in(cast.coordinator),
        signed_in(second_coordinator(cast)),
        {"first_contact_warn_hours": "12"},
        {"sms_sender": "+13125550100"},
    )

    assert one.status_code == 302
    assert_conflict_page(two, "+13125550100", "12", "Differs")
    saved = NoticeSettings.objects.get(agency=cast.agency_a)
    # the first save is kept, the refused one wrote nothing
    assert (saved.first_contact_warn_hours, saved.sms_sender) == (12, "")
