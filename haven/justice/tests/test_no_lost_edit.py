"""Two people edit one court case at once: the second save is refused, the first stays."""

from django.urls import reverse

from haven.core.tests.edit_race import assert_conflict_page, race, second_coordinator, signed_in
from haven.justice.models import JusticeSettings


def test_the_second_save_of_a_court_case_gets_the_conflict_page(cast, court_case):
    url = reverse("justice:court_case_edit", args=[court_case.pk])

    one, two = race(
        url,
        signed_in(cast.advocate),
        signed_in(cast.supervisor),
        {"prosecutor_name": "Pat Prosecutor (ASA)"},
        {"defendant_name": "Victor Vance Jr."},
    )

    assert one.status_code == 302
    assert_conflict_page(two, "Victor Vance Jr.", "Pat Prosecutor (ASA)", "Differs")
    court_case.refresh_from_db()
    assert (court_case.prosecutor_name, court_case.defendant_name) == (
        "Pat Prosecutor (ASA)",
        "Victor Vance",
    )
    assert court_case.version == 2


def test_the_second_save_of_the_rights_settings_gets_the_conflict_page(cast):
    one, two = race(
        reverse("justice:settings"),
        signed_in(cast.coordinator),
        signed_in(second_coordinator(cast)),
        {"federal_cvra": "on"},
        {"illinois": ""},
    )

    assert one.status_code == 302
    assert_conflict_page(two, "Federal CVRA", "Differs")
    saved = JusticeSettings.objects.get(agency=cast.agency_a)
    assert (saved.federal_cvra, saved.version) == (True, 2)
