"""Each shipped profile on real rows of its department's public extract (tests/data/README.md
names every source): every row is read, or the test lists which are refused and why."""

from datetime import UTC, datetime

from django.db.models import Count

from haven.incidents.models import ImportRun, Incident, IncidentPerson
from haven.incidents.tests.conftest import sample


def offenses(incident):
    return [(o.code, o.nibrs_code) for o in incident.offenses.all()]


def test_the_whole_real_lapd_sample_imports_with_its_two_date_formats(cast, run_import):
    result = run_import(cast.agency_a, "lapd", sample("lapd-real.csv"))

    assert result.exit == 0
    assert "Imported 2,500 rows" in result.out and "2,500 new" in result.out
    assert "0 bad rows" in result.out and "Refused" not in result.err
    assert Incident.objects.filter(agency=cast.agency_a).count() == 2500
    # "01/08/2020 00:00" (saved again by a spreadsheet) and "04/14/2020 12:00:00 AM" (the
    # portal's own) in one column: both are the day at 00:00 Los Angeles time.
    first = Incident.objects.get(report_number="010304468")
    assert first.reported_at == datetime(2020, 1, 8, 8, 0, tzinfo=UTC)
    assert first.occurred_at == datetime(2020, 1, 9, 6, 30, tzinfo=UTC)  # TIME OCC 2230
    portal = Incident.objects.get(report_number="200110444")
    assert portal.reported_at == datetime(2020, 4, 14, 7, 0, tzinfo=UTC)  # PDT
    assert portal.occurred_at == datetime(2020, 2, 13, 20, 0, tzinfo=UTC)  # TIME OCC 1200
    # "Status Desc": Invest Cont 2,097; Adult Arrest 184 and Juv Arrest 8; Adult Other 209 and
    # Juv Other 2 (cleared by other means).
    statuses = dict(
        Incident.objects.filter(agency=cast.agency_a)
        .values_list("investigation_status")
        .annotate(n=Count("id"))
    )
    assert statuses == {"investigating": 2097, "arrest": 192, "cleared": 211}
    dv = Incident.objects.filter(agency=cast.agency_a, domestic_violence=True)
    assert dv.count() == 142
    assert IncidentPerson.objects.filter(incident__in=dv).count() == 142
    # The codes without a NIBRS code are listed, most read first, and kept on the run.
    assert "15 offense codes have no NIBRS code (284 offenses)" in result.err
    assert "  761 BRANDISH WEAPON (30)" in result.err
    run = ImportRun.objects.get()
    assert run.unmapped_codes[0] == {"code": "998", "description": "", "count": 164}
    assert {"code": "956", "description": "LETTERS, LEWD - TELEPHONE CALLS, LEWD", "count": 26} in (
        run.unmapped_codes
    )


def test_the_real_nypd_shootings_sample_reads_age_groups_and_combined_races(cast, run_import):
    result = run_import(cast.agency_a, "nypd-shootings", sample("nypd-shootings-real.csv"))

    assert result.exit == 0 and "0 bad rows" in result.out
    assert "Imported 2,500 rows" in result.out and "2,451 new" in result.out
    assert "no NIBRS code" not in result.err
    shooting = Incident.objects.get(report_number="23749375")  # three victims, one murdered
    assert shooting.occurred_at == datetime(2006, 8, 8, 2, 6, tzinfo=UTC)  # 22:06 EDT
    assert (shooting.firearm, shooting.weapon, shooting.district_code) == (True, True, "79")
    assert sorted(offenses(shooting)) == [("SHOOTING", "13A"), ("SHOOTING-MURDER", "09A")]
    victims = shooting.people.filter(role="victim").order_by("position")
    # <18 crosses PMT's 0-12 and 13-17 bands; 18-24 is a band of its own.
    assert [(v.age, v.age_band) for v in victims] == [
        (None, "unknown"),
        (None, "18-24"),
        (None, "18-24"),
    ]
    bands = dict(
        IncidentPerson.objects.filter(agency=cast.agency_a, role="victim")
        .values_list("age_band")
        .annotate(n=Count("id"))
    )
    # 25-44 lies inside 25-59 and 65+ inside 60+; <18 and 45-64 cross a band.
    assert bands == {"25-59": 1064, "18-24": 975, "unknown": 289 + 143, "60+": 23, "": 6}
    hispanic = IncidentPerson.objects.filter(
        agency=cast.agency_a, role="victim", race_ethnicity="hispanic"
    )
    assert hispanic.count() > 0  # WHITE HISPANIC, BLACK HISPANIC
    assert not IncidentPerson.objects.filter(race_ethnicity="multiple").exists()


def test_the_real_sfpd_sample_reads_date_and_time_columns_and_skips_non_person_reports(
    cast, run_import
):
    result = run_import(cast.agency_a, "sfpd", sample("sfpd-real.csv"))

    assert result.exit == 0 and "0 bad rows" in result.out
    assert "Imported 2,500 rows" in result.out and "1,848 new" in result.out
    dv = Incident.objects.get(report_number="180906241")  # 15040: spouse, inflict injury
    assert dv.domestic_violence
    assert dv.occurred_at == datetime(2018, 12, 1, 8, 30, tzinfo=UTC)  # 00:30 PST
    assert dv.reported_at == datetime(2018, 12, 1, 8, 59, tzinfo=UTC)
    assert dv.people.count() == 1  # one unknown victim, however many offense rows
    warrant = Incident.objects.get(report_number="160265540")  # warrant arrest, park code
    assert warrant.people.count() == 0
    # The code table file maps 15161 (restraining order violation); warrants stay unmapped.
    assert "  63010 Warrant: Warrant Arrest, Local SF Warrant (43)" in result.err
    assert ("15161", "90Z") in [
        (o.code, o.nibrs_code) for i in Incident.objects.all() for o in i.offenses.all()
    ]


def test_the_real_chicago_sample_imports_whole(cast, run_import):
    result = run_import(cast.agency_a, "chicago", sample("chicago-real.csv"))

    assert result.exit == 0 and "0 bad rows" in result.out
    assert "Imported 2,500 rows" in result.out and "2,500 new" in result.out
    dv = Incident.objects.get(report_number="HX185282")  # domestic battery, 11:40 PM
    assert dv.domestic_violence and dv.occurred_at == datetime(2014, 3, 15, 4, 40, tzinfo=UTC)
    assert offenses(dv) == [("0486", "13B")]
    # Larceny has no single NIBRS offense in CPD's FBI code: listed, never guessed.
    assert "  0820 THEFT: $500 AND UNDER (202)" in result.err


def test_the_real_dc_sample_reads_utc_times_and_two_victim_homicides(cast, run_import):
    result = run_import(cast.agency_a, "dc", sample("dc-real.csv"))

    assert result.exit == 0 and "0 bad rows" in result.out and "Refused" not in result.err
    assert "Imported 2,000 rows" in result.out and "1,997 new" in result.out
    first = Incident.objects.get(report_number="21037008")
    # "2021/03/23 20:58:24+00": UTC, as the portal writes every time.
    assert first.reported_at == datetime(2021, 3, 23, 20, 58, 24, tzinfo=UTC)
    assert first.occurred_at == datetime(2021, 3, 23, 17, 50, 45, tzinfo=UTC)
    assert (first.district_code, first.beat) == ("1", "107")
    assert first.location == "600 - 669 BLOCK OF PENNSYLVANIA AVENUE SE"
    assert offenses(first) == [("THEFT/OTHER", "")]
    # Two rows, one CCN: one incident, two unknown victims.
    twice = Incident.objects.get(report_number="21042347")
    assert twice.people.filter(role="victim").count() == 2
    guns = Incident.objects.filter(agency=cast.agency_a, firearm=True)
    # 112 GUN rows and 41 KNIFE rows; the two-row homicides count once.
    assert guns.count() == 110
    assert Incident.objects.filter(agency=cast.agency_a, weapon=True).count() == 150
    assert not Incident.objects.filter(agency=cast.agency_a, domestic_violence=True).exists()
    adw = Incident.objects.filter(offenses__code="ADW").first()
    assert offenses(adw) == [("ADW", "13A")]
    assert adw.offenses.get().description == "ASSAULT W/DANGEROUS WEAPON"
    # THEFT/OTHER and SEX ABUSE have no one NIBRS offense: listed, most read first.
    assert "2 offense codes have no NIBRS code (885 offenses)" in result.err
    assert "  THEFT/OTHER THEFT/OTHER (870)" in result.err
    assert "  SEX ABUSE SEX ABUSE (15)" in result.err
