"""Two supervisors keep one volunteer's file at once, the first before it was ever saved: the
second save is refused, the first stays."""

from datetime import date

from django.urls import reverse

from haven.cases.testing import make_member
from haven.core.roles import Role
from haven.core.tests.edit_race import assert_conflict_page, race, signed_in


def test_the_second_save_of_a_volunteers_file_gets_the_conflict_page(cast, volunteer):
    other = make_member(cast.agency_a, "sue", Role.SUPERVISOR, full_name="Sue Stone")

    one, two = race(
        reverse("program:volunteer", args=[volunteer.pk]),
        signed_in(cast.supervisor),
        signed_in(other),
        {"trained_on": "2025-10-01"},
        {"kind": "intern", "background_checked_on": "2025-09-20"},
    )

    assert one.status_code == 302
    assert_conflict_page(two, "Background check cleared on", "2025-09-20", "Intern", "Differs")
    volunteer.refresh_from_db()
    profile = volunteer.volunteer_profile
    assert (profile.trained_on, profile.background_checked_on) == (date(2025, 10, 1), None)
    assert (profile.kind, profile.version) == ("volunteer", 2)
