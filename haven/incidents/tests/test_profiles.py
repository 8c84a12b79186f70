"""Each shipped profile on its sample rows, and profiles that are refused with a reason."""

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from haven.incidents.models import Incident, IncidentPerson, PersonRole
from haven.incidents.profile import ProfileError, _Parser, available_profiles, load_profile
from haven.incidents.tests.conftest import sample
from haven.people.services import person_create


def offenses(incident):
    return [(o.code, o.description, o.nibrs_code) for o in incident.offenses.all()]


def test_the_shipped_profiles_load():
    assert available_profiles() == ["chicago", "dc", "lapd", "nibrs", "nypd-shootings", "sfpd"]
    for name in available_profiles():
        assert load_profile(name).name == name


def test_the_chicago_profile_reads_the_open_data_export(cast, run_import):
    result = run_import(cast.agency_a, "chicago", sample("chicago.csv"))

    assert "10 rows" in result.out and "9 new" in result.out
    assert Incident.objects.filter(agency=cast.agency_a).count() == 9
    dv = Incident.objects.get(report_number="JH100101")
    assert dv.reported_at == datetime(2024, 1, 15, 5, 40, tzinfo=UTC)  # 11:40 PM Chicago time
    assert dv.occurred_at == dv.reported_at
    assert (dv.domestic_violence, dv.weapon, dv.firearm) == (True, False, False)
    assert (dv.district_code, dv.district, dv.beat) == ("015", None, "1524")
    assert dv.location == "052XX W HURON ST, APARTMENT"
    assert offenses(dv) == [("0486", "BATTERY: DOMESTIC BATTERY SIMPLE", "13B")]
    [victim] = dv.people.all()
    assert (victim.role, victim.first_name, victim.last_name, victim.position) == (
        PersonRole.VICTIM,
        "",
        "",
        1,
    )
    shooting = Incident.objects.get(report_number="JH100102")
    assert (shooting.weapon, shooting.firearm, shooting.domestic_violence) == (True, True, False)
    assert shooting.district == cast.district_a  # "011" is the cast's Harrison district
    assert offenses(shooting) == [("041A", "BATTERY: AGGRAVATED - HANDGUN", "13A")]
    knife = Incident.objects.get(report_number="JH100108")
    assert (knife.weapon, knife.firearm, knife.domestic_violence) == (True, False, True)
    strongarm = Incident.objects.get(report_number="JH100109")
    assert (strongarm.weapon, strongarm.firearm) == (False, False)
    assert offenses(Incident.objects.get(report_number="JH100106"))[0][2] == "11A"
    assert offenses(Incident.objects.get(report_number="JH100107"))[0][2] == "13C"
    assert offenses(Incident.objects.get(report_number="JH100103"))[0][2] == ""  # larceny: no guess


def test_chicago_homicide_rows_become_one_incident_with_a_victim_each(cast, run_import):
    run_import(cast.agency_a, "chicago", sample("chicago.csv"))

    homicide = Incident.objects.get(report_number="JH100105")
    assert offenses(homicide) == [("0110", "HOMICIDE: FIRST DEGREE MURDER", "09A")]
    assert [(p.role, p.position) for p in homicide.people.all()] == [
        (PersonRole.VICTIM, 1),
        (PersonRole.VICTIM, 2),
    ]


def test_the_lapd_profile_reads_the_open_data_export(cast, run_import):
    result = run_import(cast.agency_a, "lapd", sample("lapd.csv"))

    assert "7 new" in result.out and "0 bad rows" in result.out
    dv = Incident.objects.get(report_number="241204512")
    # Reported on the date; occurred at TIME OCC 21:30 Los Angeles time (PST).
    assert dv.reported_at == datetime(2024, 3, 2, 8, 0, tzinfo=UTC)
    assert dv.occurred_at == datetime(2024, 3, 2, 5, 30, tzinfo=UTC)
    assert (dv.domestic_violence, dv.weapon, dv.firearm) == (True, False, False)
    assert (dv.district_code, dv.beat) == ("12", "1241")
    assert dv.location == "6300 BRYNHURST AV, MULTI-UNIT DWELLING (APARTMENT, DUPLEX, ETC)"
    [victim] = dv.people.all()
    assert (victim.age, victim.sex, victim.race_ethnicity) == (30, "female", "black")
    shooting = Incident.objects.get(report_number="241304877")
    assert (shooting.weapon, shooting.firearm) == (True, True)
    [victim] = shooting.people.all()
    assert (victim.age, victim.sex, victim.race_ethnicity) == (24, "male", "hispanic")
    stolen_car = Incident.objects.get(report_number="240105521")
    assert not stolen_car.people.exists()  # age 0, no sex or descent: no person victim
    rape = Incident.objects.get(report_number="240605102")
    assert rape.occurred_at == datetime(2024, 3, 5, 16, 45, tzinfo=UTC)  # "845" is 08:45
    assert (rape.weapon, rape.firearm) == (True, False)  # unknown weapon, not known a gun
    toy_gun = Incident.objects.get(report_number="241804033")
    assert (toy_gun.weapon, toy_gun.firearm) == (True, False)
    assert offenses(toy_gun) == [("210", "ROBBERY", "120"), ("230", "", "13A")]
    theft = Incident.objects.get(report_number="240804499")
    assert theft.people.get().race_ethnicity == "not_reported"  # descent X


def test_the_nibrs_profile_reads_named_victims_and_offenders(cast, run_import):
    result = run_import(cast.agency_a, "nibrs", sample("nibrs.jsonl"))

    assert "7 rows" in result.out and "5 new" in result.out
    dv = Incident.objects.get(report_number="24-000101")
    assert [o.nibrs_code for o in dv.offenses.all()] == ["13A", "13C"]
    assert (dv.domestic_violence, dv.weapon, dv.firearm) == (True, True, False)
    assert dv.district == cast.district_a
    people = list(dv.people.order_by("role", "position"))
    assert [(p.role, p.position) for p in people] == [("suspect", 1), ("victim", 1)]
    victim = people[1]
    assert (victim.first_name, victim.last_name, victim.age) == ("Dana", "Reyes", 34)
    assert victim.phone == "+13125550142"
    assert (victim.sex, victim.race_ethnicity) == ("female", "hispanic")
    assert not Incident.objects.get(report_number="24-000102").people.exists()  # a business
    minor = IncidentPerson.objects.get(incident__report_number="24-000103", role="victim")
    assert minor.date_of_birth == date(2006, 9, 14)
    assert minor.email == "maya.okafor@example.org"
    robbery = Incident.objects.get(report_number="24-000104")
    assert (robbery.firearm, robbery.weapon) == (True, True)
    assert [p.first_name for p in robbery.people.filter(role="victim")] == ["Luis", "Ana"]


def test_contact_values_are_encrypted_in_the_database(cast, run_import):
    from django.db import connection

    run_import(cast.agency_a, "nibrs", sample("nibrs.jsonl"))

    with connection.cursor() as cursor:
        cursor.execute("SELECT phone, email FROM incidents_incidentperson WHERE phone <> ''")
        rows = cursor.fetchall()
    assert rows
    assert all("555" not in phone and "example.org" not in email for phone, email in rows)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"report": {"number": "X", "occurred_at": "Date"}}, "needs a format"),
        ({"report": {"number": "X"}}, "needs reported_at or occurred_at"),
        ({"report": {"numbr": "X"}}, "unknown key 'numbr'"),
        ({"format": "xml", "report": {}}, "format = 'xml'"),
        (
            {
                "report": {"number": "X", "reported_at": {"column": "D", "format": "iso"}},
                "people": [{"role": "victim", "sex": {"column": "S", "map": "sex"}}],
                "maps": {"sex": {"M": "man"}},
            },
            "[maps.sex] 'm' = 'man'",
        ),
        (
            {
                "report": {"number": "X", "reported_at": {"column": "D", "format": "iso"}},
                "offenses": [{"code": "C", "nibrs": {"column": "C", "map": "n"}}],
                "maps": {"n": {"0110": "09Z"}},
            },
            "'09Z' is not a NIBRS offense code",
        ),
        (
            {
                "report": {"number": "X", "reported_at": {"column": "D", "format": "iso"}},
                "people": [{"role": "bystander"}],
            },
            "role: give one of",
        ),
        (
            {
                "report": {"number": "X", "reported_at": {"column": "D", "format": "iso"}},
                "people": [{"role": "victim", "sex": {"column": "S", "map": "nowhere"}}],
            },
            "there is no [maps.nowhere]",
        ),
    ],
)
def test_a_profile_with_a_mistake_is_refused_naming_it(data, message):
    with pytest.raises(ProfileError) as refused:
        _Parser(data, "custom").profile()

    assert message in str(refused.value)


def test_an_unknown_profile_name_lists_the_shipped_ones():
    with pytest.raises(ProfileError) as refused:
        load_profile("gotham")

    assert "chicago, dc, lapd, nibrs" in str(refused.value)


def test_a_departments_own_profile_is_loaded_from_its_path(tmp_path):
    path = tmp_path / "riverside.toml"
    path.write_text(
        'name = "riverside"\n[report]\nnumber = "RD"\n'
        'reported_at = { column = "When", format = "%Y-%m-%d %H:%M" }\n'
    )

    profile = load_profile(str(path))

    assert profile.name == "riverside"
    assert profile.row_columns() == {"RD", "When"}


def test_the_worked_example_of_the_docs_does_what_they_say(cast, run_import):
    """docs/import-profiles.md's example, copied into tests/data: keep the three in step."""
    docs = (Path(__file__).resolve().parents[3] / "docs" / "import-profiles.md").read_text()
    assert sample("riverside-rms.toml").read_text() in docs
    assert sample("riverside-rms.csv").read_text() in docs
    gale = person_create(
        actor=cast.actor("advocate"),
        first_name="Dana",
        last_name="Reyes",
        date_of_birth=date(1990, 4, 2),
    )

    run_import(cast.agency_a, str(sample("riverside-rms.toml")), sample("riverside-rms.csv"))
    again = run_import(
        cast.agency_a, str(sample("riverside-rms.toml")), sample("riverside-rms.csv")
    )

    incident = Incident.objects.get(report_number="RV24-00731")
    assert incident.reported_at == datetime(2024, 4, 3, 4, 5, tzinfo=UTC)  # 23:05 CDT
    assert (incident.district, incident.domestic_violence, incident.weapon) == (
        cast.district_a,
        True,
        False,
    )
    assert offenses(incident) == [("720-5/12-3.2", "DOMESTIC BATTERY", "13B")]
    victim = incident.people.get()
    assert (victim.first_name, victim.last_name, victim.date_of_birth) == (
        "DANA",
        "REYES",
        date(1990, 4, 2),
    )
    assert (victim.sex, victim.race_ethnicity, victim.phone) == (
        "female",
        "hispanic",
        "+13125550142",
    )
    assert victim.person == gale
    assert "0 new, 0 updated, 1 unchanged" in again.out
