"""Victims on imported reports: linked when certainly known, proposed for review when perhaps,
and never merged silently. Then a specialist's decision."""

import json
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from haven.audit.models import AuditAction
from haven.incidents.access import access_match_candidate
from haven.incidents.models import IncidentPerson, LinkSource, MatchCandidate, MatchStatus
from haven.incidents.selectors import match_candidates_to_review
from haven.incidents.services import match_candidate_link, match_candidate_reject
from haven.people.models import ContactKind, Person
from haven.people.services import contact_point_add, person_create


def victim_line(number: str, **victim) -> str:
    row = {
        "incident_number": number,
        "report_date": "2024-04-02T23:05:00",
        "incident_date": "2024-04-02T21:40:00",
        "offense_code": "13B",
        "victim_sequence": 1,
        "victim_type": "I",
        "victim_first_name": "",
        "victim_last_name": "",
        "victim_dob": "",
        "victim_phone": "",
        "victim_email": "",
    } | victim
    return json.dumps(row)


@pytest.fixture
def import_victims(cast, run_import):
    def run(*lines: str, agency=None):
        return run_import(agency or cast.agency_a, "nibrs", "\n".join(lines) + "\n")

    return run


def victim_of(number: str) -> IncidentPerson:
    return IncidentPerson.objects.get(incident__report_number=number, role="victim")


@pytest.fixture
def gale(alice):
    person = person_create(
        actor=alice, first_name="Gale", last_name="Moss", date_of_birth=date(1990, 4, 12)
    )
    contact_point_add(actor=alice, person=person, kind=ContactKind.EMAIL, value="gale@example.org")
    return person


def test_a_victim_known_by_name_and_birth_date_is_linked_not_duplicated(gale, import_victims):
    people = Person.objects.count()

    result = import_victims(
        victim_line(
            "R1", victim_first_name="GALE", victim_last_name="moss", victim_dob="1990-04-12"
        )
    )

    victim = victim_of("R1")
    assert (victim.person, victim.link_source) == (gale, LinkSource.EXACT)
    assert not MatchCandidate.objects.exists()
    assert Person.objects.count() == people
    assert "1 victims linked to known people, 0 to review" in result.out


def test_a_victim_known_by_phone_with_the_same_name_is_linked(cast, import_victims):
    import_victims(
        victim_line(
            "R1",
            victim_first_name="Dana",
            victim_last_name="Reyes",
            victim_phone="+1 312 555 0142",
        )
    )

    assert victim_of("R1").person == cast.victim_a


def test_a_victim_known_by_email_without_a_name_is_linked(gale, import_victims):
    import_victims(victim_line("R1", victim_email="GALE@example.org"))

    assert victim_of("R1").person == gale


def test_the_same_name_with_another_birth_date_goes_to_review(gale, import_victims):
    result = import_victims(
        victim_line(
            "R1", victim_first_name="Gale", victim_last_name="Moss", victim_dob="1991-04-12"
        )
    )

    victim = victim_of("R1")
    assert victim.person is None
    [candidate] = MatchCandidate.objects.all()
    assert (candidate.incident_person, candidate.person, candidate.status) == (
        victim,
        gale,
        MatchStatus.PENDING,
    )
    assert (candidate.score, candidate.reasons) == (100, ["same name", "different birth date"])
    assert "0 victims linked to known people, 1 to review" in result.out


def test_the_same_name_without_a_birth_date_goes_to_review(gale, import_victims):
    import_victims(victim_line("R1", victim_first_name="Gale", victim_last_name="Moss"))

    [candidate] = MatchCandidate.objects.all()
    assert candidate.reasons == ["same name", "no birth date on the report"]
    assert victim_of("R1").person is None


def test_a_similar_name_with_the_same_birth_date_goes_to_review(gale, import_victims):
    import_victims(
        victim_line(
            "R1", victim_first_name="Gail", victim_last_name="Moss", victim_dob="1990-04-12"
        )
    )

    [candidate] = MatchCandidate.objects.all()
    assert candidate.person == gale and 85 <= candidate.score < 100
    assert candidate.reasons == [f"similar name ({candidate.score}%)", "same birth date"]


def test_a_similar_name_with_another_birth_date_is_someone_else(gale, import_victims):
    import_victims(
        victim_line(
            "R1", victim_first_name="Gail", victim_last_name="Moss", victim_dob="1975-01-01"
        )
    )

    assert not MatchCandidate.objects.exists()


@pytest.mark.parametrize(
    ("first", "last"),
    [("Jon", "Smyth"), ("JOHN", "SMITHE"), ("Jhon", "Smith"), ("John", "Smiths")],
)
def test_a_misspelled_name_still_proposes_the_known_person(alice, import_victims, first, last):
    """Names are encrypted: the candidates are found through the sound of the last name, then
    compared once decrypted."""
    smith = person_create(
        actor=alice, first_name="John", last_name="Smith", date_of_birth=date(1979, 5, 3)
    )
    person_create(actor=alice, first_name="John", last_name="Jones", date_of_birth=None)

    import_victims(
        victim_line("R1", victim_first_name=first, victim_last_name=last, victim_dob="1979-05-03")
    )

    [candidate] = MatchCandidate.objects.all()
    assert candidate.person == smith
    assert candidate.reasons[-1] == "same birth date"
    assert victim_of("R1").person is None  # proposed, never linked on a similar name


def test_jon_smyth_is_proposed_for_john_smith_because_both_names_sound_alike(alice, import_victims):
    smith = person_create(actor=alice, first_name="John", last_name="Smith")

    import_victims(victim_line("R1", victim_first_name="Jon", victim_last_name="Smyth"))

    [candidate] = MatchCandidate.objects.all()
    assert candidate.person == smith and candidate.score == 84
    assert candidate.reasons == [
        "similar name (84%)",
        "names sound alike",
        "no birth date on the report",
    ]


def test_a_last_name_that_sounds_different_is_not_compared(alice, import_victims):
    person_create(actor=alice, first_name="John", last_name="Smith")

    import_victims(victim_line("R1", victim_first_name="John", victim_last_name="Smoth"))
    import_victims(victim_line("R2", victim_first_name="John", victim_last_name="Smart"))

    # Smoth sounds like Smith (S53) and is proposed; Smart (S56) is not even read.
    assert [c.incident_person.incident.report_number for c in MatchCandidate.objects.all()] == [
        "R1"
    ]


def test_a_shared_phone_under_another_name_goes_to_review(cast, import_victims):
    import_victims(
        victim_line(
            "R1", victim_first_name="Erin", victim_last_name="Vance", victim_phone="312-555-0142"
        )
    )

    assert victim_of("R1").person is None
    [candidate] = MatchCandidate.objects.all()
    assert candidate.person == cast.victim_a
    assert candidate.reasons[0] == "same phone or email"


def test_two_known_people_with_the_same_name_and_birth_date_both_go_to_review(
    alice, gale, import_victims
):
    twin = person_create(
        actor=alice, first_name="Gale", last_name="Moss", date_of_birth=date(1990, 4, 12)
    )

    import_victims(
        victim_line(
            "R1", victim_first_name="Gale", victim_last_name="Moss", victim_dob="1990-04-12"
        )
    )

    assert victim_of("R1").person is None
    assert sorted(MatchCandidate.objects.values_list("person_id", flat=True)) == sorted(
        [gale.pk, twin.pk]
    )


def test_people_of_another_agency_are_never_matched(cast, charlie, import_victims):
    person_create(
        actor=charlie, first_name="Gale", last_name="Moss", date_of_birth=date(1990, 4, 12)
    )

    import_victims(
        victim_line(
            "R1", victim_first_name="Gale", victim_last_name="Moss", victim_dob="1990-04-12"
        )
    )

    assert victim_of("R1").person is None
    assert not MatchCandidate.objects.exists()


def test_suspects_are_not_matched_to_victims(gale, import_victims):
    import_victims(
        victim_line(
            "R1",
            victim_type="B",
            offender_sequence="01",
            offender_age="36",
            offender_sex="M",
        )
    )

    assert not IncidentPerson.objects.filter(person__isnull=False).exists()
    assert not MatchCandidate.objects.exists()


def test_the_look_up_is_audited_as_a_search_with_keys_and_ids_only(
    gale, import_victims, new_audit_events
):
    import_victims(
        victim_line(
            "R1", victim_first_name="Gale", victim_last_name="Moss", victim_dob="1990-04-12"
        )
    )

    [search] = new_audit_events(action=AuditAction.PERSON_SEARCH)
    assert search.details["keys"] == ["name", "name_dob"]
    assert search.details["found"] == [gale.pk]
    assert "Moss" not in str(search.details)


def test_a_corrected_name_is_matched_again_but_a_reviewed_link_stays(alice, gale, import_victims):
    import_victims(victim_line("R1", victim_first_name="Gale", victim_last_name="Moss"))
    candidate = MatchCandidate.objects.get()
    match_candidate_link(actor=alice, candidate=candidate)

    import_victims(victim_line("R1", victim_first_name="Gale", victim_last_name="Mosse"))

    victim = victim_of("R1")
    assert (victim.last_name, victim.person, victim.link_source) == (
        "Mosse",
        gale,
        LinkSource.REVIEW,
    )


# Deciding a candidate


@pytest.fixture
def pending(gale, import_victims):
    import_victims(victim_line("R1", victim_first_name="Gale", victim_last_name="Moss"))
    return MatchCandidate.objects.get()


def test_linking_a_candidate_links_the_person_and_audits_it(
    cast, alice, pending, gale, new_audit_events
):
    decided = match_candidate_link(actor=alice, candidate=pending)

    assert (decided.status, decided.decided_by) == (MatchStatus.LINKED, cast.advocate)
    assert decided.decided_at is not None
    victim = victim_of("R1")
    assert (victim.person, victim.link_source) == (gale, LinkSource.REVIEW)
    [event] = new_audit_events(action=AuditAction.INCIDENT_MATCH_LINK)
    assert event.object_id == str(pending.pk)
    assert event.details["person"] == gale.pk and event.details["rejected"] == []


def test_linking_one_candidate_rejects_the_others(alice, gale, import_victims):
    other = person_create(actor=alice, first_name="Gale", last_name="Moss")
    import_victims(victim_line("R1", victim_first_name="Gale", victim_last_name="Moss"))
    first, second = MatchCandidate.objects.order_by("person_id")

    match_candidate_link(actor=alice, candidate=first)

    second.refresh_from_db()
    assert second.status == MatchStatus.REJECTED
    assert second.reason == "Another match was linked."
    assert other.pk in (first.person_id, second.person_id)


def test_rejecting_a_candidate_keeps_the_reason_and_links_nothing(alice, pending, new_audit_events):
    decided = match_candidate_reject(actor=alice, candidate=pending, reason="  Different mother ")

    assert (decided.status, decided.reason) == (MatchStatus.REJECTED, "Different mother")
    assert victim_of("R1").person is None
    [event] = new_audit_events(action=AuditAction.INCIDENT_MATCH_REJECT)
    assert event.reason == "Different mother"


def test_a_decided_candidate_cannot_be_decided_again(alice, pending):
    match_candidate_reject(actor=alice, candidate=pending)

    with pytest.raises(ValidationError, match="already decided"):
        match_candidate_link(actor=alice, candidate=pending)
    assert victim_of("R1").person is None


def test_of_two_specialists_deciding_at_once_the_second_is_told(alice, sam, pending):
    stale = MatchCandidate.objects.get(pk=pending.pk)
    match_candidate_link(actor=sam, candidate=pending)

    with pytest.raises(ValidationError, match="Someone else decided this match first"):
        match_candidate_reject(actor=alice, candidate=stale)


@pytest.mark.parametrize("role", ["officer", "analyst", "auditor"])
def test_roles_without_person_edit_cannot_decide(cast, pending, role):
    with pytest.raises(PermissionDenied):
        match_candidate_link(actor=cast.actor(role), candidate=pending)
    assert MatchCandidate.objects.get().status == MatchStatus.PENDING


def test_another_agency_cannot_see_or_decide_the_candidate(charlie, pending):
    assert not match_candidates_to_review(charlie).exists()
    with pytest.raises(Http404):
        access_match_candidate(charlie, pending.pk)
    with pytest.raises(PermissionDenied):
        match_candidate_reject(actor=charlie, candidate=pending)


def test_the_review_list_shows_pending_candidates_with_what_a_page_needs(
    alice, pending, django_assert_num_queries
):
    assert access_match_candidate(alice, pending.pk) == pending
    with django_assert_num_queries(1):
        [row] = list(match_candidates_to_review(alice))
        assert row.incident_person.incident.report_number == "R1"
        assert row.person.last_name == "Moss"
    match_candidate_reject(actor=alice, candidate=pending)
    assert not match_candidates_to_review(alice).exists()
