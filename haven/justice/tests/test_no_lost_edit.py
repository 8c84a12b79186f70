"""Two people edit one court case at once: the second save is refused, the first stays."""

from django.urls import reverse

from haven.core.tests.edit_race import assert_conflict_page, race, signed_in


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
