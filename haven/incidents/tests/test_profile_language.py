"""The profile language for real exports: several date formats, date-only values and their
stated time, age ranges, several race codes, non-person victims, code tables; and a profile
written wrong is refused with the key named, never a traceback."""

import zoneinfo
from datetime import UTC, datetime
from pathlib import Path

import pytest

from haven.incidents.mapper import Mapper, band_of_range, race_ethnicity
from haven.incidents.models import Incident
from haven.incidents.profile import ProfileError, _Parser, load_profile, parse_age_range
from haven.incidents.reader import RowError
from haven.incidents.tests.conftest import sample

LA = zoneinfo.ZoneInfo("America/Los_Angeles")


def profile(report=None, people=None, maps=None, **top):
    data = {
        "report": report or {"number": "N", "reported_at": {"column": "D", "format": "iso"}},
        **top,
    }
    if people is not None:
        data["people"] = people
    if maps is not None:
        data["maps"] = maps
    return _Parser(data, "custom").profile()


def refused(**kwargs) -> str:
    with pytest.raises(ProfileError) as error:
        profile(**kwargs)
    return str(error.value)


# --- dates and times ------------------------------------------------------------------------


def test_several_date_formats_are_tried_in_order():
    p = profile(
        report={
            "number": "N",
            "reported_at": {
                "column": "D",
                "format": ["%m/%d/%Y %I:%M:%S %p", "%m/%d/%Y %H:%M"],
            },
        }
    )
    mapper = Mapper(p, LA)

    portal = mapper.record({"N": "1", "D": "04/14/2020 12:00:00 AM"}, 2)
    spreadsheet = mapper.record({"N": "2", "D": "01/08/2020 00:00"}, 3)

    assert portal.reported_at == datetime(2020, 4, 14, 7, 0, tzinfo=UTC)
    assert spreadsheet.reported_at == datetime(2020, 1, 8, 8, 0, tzinfo=UTC)
    with pytest.raises(RowError) as error:
        mapper.record({"N": "3", "D": "2020-01-08"}, 4)
    assert "does not match the format %m/%d/%Y %I:%M:%S %p or %m/%d/%Y %H:%M" in str(error.value)


def test_a_date_only_format_must_say_what_time_it_gets():
    message = refused(report={"number": "N", "reported_at": {"column": "D", "format": "%Y/%m/%d"}})

    assert "[report] reported_at: the format '%Y/%m/%d' has no time of day" in message
    assert 'default_time = "00:00"' in message


def test_a_date_only_value_gets_the_stated_time_and_a_time_column_fills_it_in():
    p = profile(
        report={
            "number": "N",
            "reported_at": {"column": "D", "format": "%Y/%m/%d", "default_time": "12:00"},
            "occurred_at": {
                "column": "D",
                "format": "%Y/%m/%d",
                "default_time": "00:00",
                "time_column": "T",
                "time_format": "%H:%M",
            },
        }
    )
    mapper = Mapper(p, LA)

    with_time = mapper.record({"N": "1", "D": "2018/12/01", "T": "00:25"}, 2)
    without = mapper.record({"N": "2", "D": "2018/12/01", "T": ""}, 3)

    assert with_time.reported_at == datetime(2018, 12, 1, 20, 0, tzinfo=UTC)  # noon PST
    assert with_time.occurred_at == datetime(2018, 12, 1, 8, 25, tzinfo=UTC)
    assert without.occurred_at == datetime(2018, 12, 1, 8, 0, tzinfo=UTC)  # midnight PST


# --- people ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "band"),
    [
        ("18-24", "18-24"),
        ("25-44", "25-59"),
        ("65+", "60+"),
        ("<18", "unknown"),  # 0-12 and 13-17
        ("45-64", "unknown"),  # 25-59 and 60+
        ("13-17", "13-17"),
        ("0-12", "0-12"),
    ],
)
def test_an_age_range_is_read_as_its_pmt_band_or_unknown_where_it_crosses_one(text, band):
    assert band_of_range(*parse_age_range(text)) == band


@pytest.mark.parametrize(
    ("races", "ethnicities", "expected"),
    [
        (("black", "hispanic"), (), "hispanic"),
        (("white",), ("hispanic",), "hispanic"),
        (("white", "black"), (), "multiple"),
        (("asian",), ("",), "asian"),
        ((), (), "not_reported"),
    ],
)
def test_several_race_codes_make_one_pmt_category(races, ethnicities, expected):
    assert race_ethnicity(races, ethnicities) == expected


def test_age_groups_races_and_non_person_victims_in_one_profile():
    p = profile(
        people=[
            {
                "role": "victim",
                "not_a_person": {"column": "VIC_SEX", "values": ["D", "E"]},
                "age": {"column": "VIC_AGE_GROUP", "blank": ["UNKNOWN"]},
                "sex": {"column": "VIC_SEX", "map": "sex"},
                "race": {"column": "VIC_RACE", "map": "race"},
            }
        ],
        maps={
            "sex": {"M": "male", "F": "female", "*": "not_reported"},
            "race": {"WHITE HISPANIC": ["white", "hispanic"], "BLACK": "black", "*": "other"},
        },
    )
    mapper = Mapper(p, LA)
    row = {"N": "1", "D": "2020-01-01T10:00:00"}

    woman = mapper.record(
        row | {"VIC_AGE_GROUP": "25-44", "VIC_SEX": "F", "VIC_RACE": "WHITE HISPANIC"}, 2
    )
    business = mapper.record(row | {"VIC_AGE_GROUP": "", "VIC_SEX": "D", "VIC_RACE": "UNKNOWN"}, 3)

    [victim] = woman.people
    assert (victim.age, victim.age_band, victim.sex, victim.race_ethnicity) == (
        None,
        "25-59",
        "female",
        "hispanic",
    )
    assert business.people == []
    with pytest.raises(RowError) as error:
        mapper.record(row | {"VIC_AGE_GROUP": "old", "VIC_SEX": "M", "VIC_RACE": "BLACK"}, 4)
    assert "VIC_AGE_GROUP 'old' is not an age in years or a range such as 18-24" in str(error.value)


# --- offense codes --------------------------------------------------------------------------


def test_every_offense_code_without_a_nibrs_code_is_counted():
    p = profile(
        report={
            "number": "N",
            "reported_at": {"column": "D", "format": "iso"},
        },
        offenses=[{"code": "C", "description": "T", "nibrs": {"column": "C", "map": "nibrs"}}],
        maps={"nibrs": {"624": "13B"}},
    )
    unmapped: dict = {}
    mapper = Mapper(p, LA, unmapped=unmapped)
    row = {"N": "1", "D": "2020-01-01T10:00:00"}

    mapper.record(row | {"C": "624", "T": "BATTERY"}, 2)
    mapper.record(row | {"C": "761", "T": "BRANDISH WEAPON"}, 3)
    mapper.record(row | {"C": "761", "T": "BRANDISH WEAPON"}, 4)

    assert unmapped == {"761": [2, "BRANDISH WEAPON"]}


def test_an_offense_read_again_is_a_new_record_and_a_bad_one_is_refused_every_time():
    """The mapper keeps what a row's offense cells map to (import speed): the records it hands
    out are still separate, and JSON numbers are not confused with the text or flags alike."""
    p = profile(
        offenses=[{"code": "C", "description": "T", "nibrs": {"column": "C", "map": "nibrs"}}],
        maps={"nibrs": {"624": "13B", "1": "13A", "true": "09A"}},
    )
    mapper = Mapper(p, LA)
    row = {"N": "1", "D": "2020-01-01T10:00:00", "T": "BATTERY"}

    first = mapper.record(row | {"C": "624"}, 2).offenses[0]
    again = mapper.record(row | {"C": "624"}, 3).offenses[0]
    assert first == again and first is not again
    first.description = "changed by finish()"
    assert mapper.record(row | {"C": "624"}, 4).offenses[0].description == "BATTERY"
    for line in (5, 6):
        with pytest.raises(RowError, match="longer than 20 characters"):
            mapper.record(row | {"C": "9" * 21}, line)
    assert mapper.record(row | {"C": 1}, 7).offenses[0].nibrs_code == "13A"
    assert mapper.record(row | {"C": True}, 8).offenses[0].nibrs_code == "09A"


def test_a_code_table_can_come_from_a_csv_file_next_to_the_profile(tmp_path):
    (tmp_path / "codes.csv").write_text("code,nibrs\n04134,13B\n15040,13A\n")
    (tmp_path / "dept.toml").write_text(
        'name = "dept"\n[report]\nnumber = "N"\nreported_at = { column = "D", format = "iso" }\n'
        '[[offenses]]\ncode = "C"\nnibrs = { column = "C", map = "codes" }\n'
        '[maps.codes]\nfile = "codes.csv"\n'
    )

    p = load_profile(str(tmp_path / "dept.toml"))

    assert p.offenses[0].nibrs[0].map == {"04134": "13B", "15040": "13A"}


# --- refused profiles -----------------------------------------------------------------------


def test_a_code_listed_twice_in_a_csv_table_names_the_file_and_line(tmp_path):
    (tmp_path / "codes.csv").write_text("code,nibrs\n04134,13B\n15040,13A\n04134,13A\n")
    (tmp_path / "dept.toml").write_text(
        'name = "dept"\n[report]\nnumber = "N"\nreported_at = { column = "D", format = "iso" }\n'
        '[[offenses]]\ncode = "C"\nnibrs = { column = "C", map = "codes" }\n'
        '[maps.codes]\nfile = "codes.csv"\n'
    )

    with pytest.raises(ProfileError) as error:
        load_profile(str(tmp_path / "dept.toml"))

    assert str(error.value) == (
        "codes.csv, line 4: the code '04134' is already mapped by codes.csv, line 2 (to '13B'): "
        "list each code once in [maps.codes]."
    )


def test_a_code_listed_twice_in_a_toml_table_differing_only_in_case_is_refused():
    message = refused(
        people=[{"role": "victim", "sex": {"column": "S", "map": "sex"}}],
        maps={"sex": {"m": "male", "M": "female"}},
    )

    assert "[maps.sex] 'M': the code 'M' is already mapped by [maps.sex] 'm'" in message


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (
            {"report": {"number": "N", "reported_at": {"column": "D", "format": 5}}},
            "[report] reported_at format = 5: give text or a list of texts",
        ),
        (
            {"report": {"number": "N", "reported_at": {"column": "D", "format": ["iso", 3.5]}}},
            "[report] reported_at format = ['iso', 3.5]: give text or a list of texts",
        ),
        (
            {
                "report": {
                    "number": "N",
                    "reported_at": {"column": "D", "format": "iso"},
                    "domestic_violence": {"column": "DV", "values": "Y", "present": "yes"},
                }
            },
            "[report] domestic_violence present = 'yes': give true or false (no quotes).",
        ),
        ({"encoding": 1252}, "profile encoding = 1252: give text in quotes"),
        ({"encoding": "latin-9000"}, "encoding = 'latin-9000' is not a text encoding"),
        ({"delimiter": 9}, "profile delimiter = 9: give text in quotes"),
        (
            {
                "report": {
                    "number": "N",
                    "reported_at": {"column": "D", "format": "iso", "default_time": "noon"},
                }
            },
            "default_time = 'noon': give a time of day such as \"00:00\"",
        ),
        (
            {
                "people": [{"role": "victim", "sex": {"column": "S", "map": "sex"}}],
                "maps": {"sex": {"F": ["female", "other"]}},
            },
            "[maps.sex] 'f' = ['female', 'other']: [[people]] #1 sex takes one code, not a list.",
        ),
        (
            {
                "people": [{"role": "victim", "age": {"column": "A", "map": "age"}}],
                "maps": {"age": {"ADULT": "grown"}},
            },
            "[maps.age] 'adult' = 'grown': give an age in years",
        ),
        (
            {"people": [{"role": "victim", "once": "yes"}]},
            "[[people]] #1 once = 'yes': give true or false",
        ),
        ({"offenses": {"code": "C"}}, "Write each offense column set as an [[offenses]] table."),
        ({"maps": {"sex": "male"}}, "[maps] must be tables"),
    ],
)
def test_a_key_of_the_wrong_type_is_refused_naming_it_and_what_it_takes(kwargs, message):
    assert message in refused(**kwargs)


def test_the_open_data_worked_example_of_the_docs_does_what_they_say(cast, run_import):
    """docs/import-profiles.md's second example, copied into tests/data: keep them in step."""
    docs = (Path(__file__).resolve().parents[3] / "docs" / "import-profiles.md").read_text()
    assert sample("metro-opendata.toml").read_text() in docs
    assert sample("metro-opendata.csv").read_text() in docs

    result = run_import(
        cast.agency_a, str(sample("metro-opendata.toml")), sample("metro-opendata.csv")
    )

    assert result.exit == 0 and "3 new" in result.out and "0 bad rows" in result.out
    assert "1 offense code has no NIBRS code (1 offenses)" in result.err
    assert "  2302 THEFT FROM BUILDING (1)" in result.err
    family = Incident.objects.get(report_number="MP-1001")
    assert family.reported_at == datetime(2024, 4, 3, 4, 5, tzinfo=UTC)  # 23:05 CDT
    assert family.occurred_at == datetime(2024, 4, 3, 2, 40, tzinfo=UTC)  # 21:40 CDT
    assert family.domestic_violence
    assert [(o.code, o.nibrs_code) for o in family.offenses.all()] == [("13B1", "13B")]
    victim = family.people.get()
    assert (victim.age, victim.age_band, victim.sex, victim.race_ethnicity) == (
        None,
        "25-59",
        "female",
        "hispanic",
    )
    theft = Incident.objects.get(report_number="MP-1002")
    assert theft.reported_at == datetime(2024, 4, 3, 13, 10, tzinfo=UTC)
    assert theft.occurred_at == datetime(2024, 4, 3, 5, 0, tzinfo=UTC)  # blank time: 00:00
    assert not theft.people.exists()  # a business
    older = Incident.objects.get(report_number="MP-1003").people.get()
    assert (older.age_band, older.race_ethnicity) == ("unknown", "white")  # 45-64 crosses
