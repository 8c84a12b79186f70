"""Outreach cases opened from imported reports by the agency's outreach rules."""

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from haven.audit.models import AuditAction
from haven.cases.models import Case, CaseSource, CaseStatus, Task
from haven.core.scoping import agency_scope
from haven.incidents import hooks as incident_hooks
from haven.incidents.models import ImportRun, IncidentPerson, LinkSource, MatchCandidate
from haven.incidents.services import match_candidate_link, match_candidate_reject
from haven.outreach.decisions import Outreach
from haven.outreach.models import OutreachDecision, OutreachOutcome, OutreachRule, RouteTo
from haven.outreach.services import RuleData, outreach_rule_save
from haven.people.indexes import last_name_index
from haven.people.models import ContactPoint, Person

pytestmark = pytest.mark.django_db

PROFILE = """
name = "outreach-test"
format = "csv"

[report]
number = "RD"
reported_at = { column = "Reported", format = "%Y-%m-%d %H:%M" }
district = "Dist"
domestic_violence = { column = "DV", values = ["Y"] }
firearm = { column = "Weapon", values = ["HANDGUN"] }

[[offenses]]
code = "Statute"
description = "Text"
nibrs = "UCR"

[[people]]
role = "victim"
full_name = "Victim"
name_order = "last, first"
date_of_birth = { column = "DOB", format = "iso" }
phone = "Phone"

[[people]]
role = "suspect"
full_name = "Suspect"
name_order = "last, first"
"""
HEADER = "RD,Reported,Dist,DV,Weapon,Statute,Text,UCR,Victim,DOB,Phone,Suspect\n"


AGENCY_TZ = ZoneInfo("America/Chicago")  # agency A's: the export's times are local


def when(hours_ago: float) -> str:
    # Subtract in UTC, then read the agency's wall clock: an aware datetime minus a timedelta
    # keeps its wall-clock offset, an hour off across a daylight-saving change.
    instant = timezone.now() - timedelta(hours=hours_ago)
    return timezone.localtime(instant, timezone=AGENCY_TZ).strftime("%Y-%m-%d %H:%M")


def row(number, *, hours_ago=5, dist="011", dv="Y", weapon="", statute="720-5/12-3.2",
        text="DOMESTIC BATTERY", ucr="13B", victim="MORALES, LUZ", dob="1988-02-11",
        phone="", suspect="MORALES, JUAN") -> str:  # fmt: skip
    return (
        f'{number},{when(hours_ago)},{dist},{dv},{weapon},{statute},{text},{ucr},"{victim}",'
        f'{dob},{phone},"{suspect}"\n'
    )


@pytest.fixture
def profile_path(tmp_path):
    path = tmp_path / "outreach-test.toml"
    path.write_text(PROFILE, encoding="utf-8")
    return str(path)


@pytest.fixture
def push(run_import, profile_path, cast):
    """push(*rows, flags...): import the rows through the test profile into agency A."""

    assert cast.agency_a.tz == AGENCY_TZ

    def run(*rows, flags=()):
        return run_import(cast.agency_a, profile_path, HEADER + "".join(rows), *flags)

    return run


@pytest.fixture
def rule(cast, cora):
    """The agency's domestic-violence rule: any report flagged DV opens a high-priority case."""

    def make(**overrides):
        data = RuleData(
            name="Domestic violence",
            victimization="domestic_violence",
            requires_domestic_violence=True,
            priority="high",
        )
        for key, value in overrides.items():
            setattr(data, key, value)
        with agency_scope(cast.agency_a):
            return outreach_rule_save(actor=cora, data=data)

    return make


def outreach_cases(cast):
    with agency_scope(cast.agency_a):
        return list(
            Case.objects.filter(source=CaseSource.RECORDS_OUTREACH)
            .exclude(pk=cast.case_a.pk)
            .select_related("primary_victim", "assigned_to")
            .order_by("id")
        )


def test_a_matching_report_opens_a_case_received_at_the_report_time(cast, push, rule):
    rule()
    result = push(row("RV-1", hours_ago=5))

    [case] = outreach_cases(cast)
    assert "1 outreach cases opened" in result.out
    assert case.primary_victim.first_name == "Luz"
    assert case.primary_victim.last_name == "Morales"
    assert case.report_number == "RV-1"
    assert case.status == CaseStatus.NEW
    assert case.priority == "high"
    assert case.district == cast.district_a
    assert abs(case.received_at - (timezone.now() - timedelta(hours=5))) < timedelta(minutes=2)
    with agency_scope(cast.agency_a):
        assert list(case.victimizations.values_list("code", flat=True)) == ["domestic_violence"]
        assert 'outreach rule "Domestic violence"' in case.narrative
        victim = IncidentPerson.objects.get(incident__report_number="RV-1", role="victim")
        assert (victim.person_id, victim.link_source) == (case.primary_victim_id, "created")
        decision = OutreachDecision.objects.get(incident_person=victim)
        assert (decision.outcome, decision.case_id) == (OutreachOutcome.OPENED, case.pk)
        assert ImportRun.objects.get().cases_opened == 1


def test_the_import_reaches_the_rules_only_through_the_hook_outreach_registers(
    cast, push, rule, monkeypatch
):
    """incidents never imports outreach (incidents/hooks.py): outreach's AppConfig.ready
    registers its rules, and with no handler registered the same import opens nothing."""
    handler = incident_hooks._batch_handler  # registered by name, imported on first call
    assert (handler.__module__, handler.__qualname__) == (Outreach.__module__, "Outreach")
    rule()
    monkeypatch.setattr(incident_hooks, "_batch_handler", None)
    push(row("RV-1", hours_ago=5))

    assert outreach_cases(cast) == []
    with agency_scope(cast.agency_a):
        assert ImportRun.objects.get().cases_opened == 0
        assert not OutreachDecision.objects.exists()


def test_it_assigns_the_least_loaded_advocate_of_the_reports_district(cast, push, rule):
    cast.advocate2.district = cast.district_a
    cast.advocate2.save()
    rule()
    push(row("RV-1"), row("RV-2", victim="DIAZ, ANA"))

    cases = outreach_cases(cast)
    # Bob is the district's only advocate; Alice (no district) is not picked over him.
    assert [c.assigned_to for c in cases] == [cast.advocate2, cast.advocate2]


def test_without_a_district_advocate_the_least_loaded_of_all_gets_it(cast, push, rule):
    rule()
    push(row("RV-1", dist="099"), row("RV-2", dist="099", victim="DIAZ, ANA"))

    cases = outreach_cases(cast)
    # Alice holds case_a: Bob gets the first, then one each.
    assert [c.assigned_to for c in cases] == [cast.advocate2, cast.advocate]


def test_a_rule_can_leave_cases_in_the_queue_or_name_a_specialist(cast, push, rule):
    rule(route=RouteTo.QUEUE, position=2)
    rule(
        name="Shootings",
        victimization="adult_physical_assault",
        requires_domestic_violence=False,
        requires_firearm=True,
        route=RouteTo.SPECIALIST,
        assign_to=cast.supervisor,
        position=1,
    )
    push(row("RV-1"), row("RV-2", victim="DIAZ, ANA", weapon="HANDGUN", dv="N"))

    first, second = outreach_cases(cast)
    assert first.assigned_to is None
    assert second.assigned_to == cast.supervisor


def test_importing_the_same_file_again_opens_nothing_more(cast, push, rule):
    rule()
    rows = [row("RV-1"), row("RV-2", victim="DIAZ, ANA")]
    push(*rows)
    result = push(*rows)

    assert len(outreach_cases(cast)) == 2
    assert "0 outreach cases opened" in result.out


def test_a_corrected_report_that_now_matches_opens_its_case(cast, push, rule):
    rule()
    push(row("RV-1", dv="N"))
    assert outreach_cases(cast) == []

    push(row("RV-1", dv="Y"))
    assert len(outreach_cases(cast)) == 1


def test_old_reports_of_a_backfill_open_nothing(cast, push, rule):
    rule(max_report_age_days=7)
    push(row("RV-OLD", hours_ago=24 * 8), row("RV-NEW", hours_ago=24 * 6, victim="DIAZ, ANA"))

    assert [c.report_number for c in outreach_cases(cast)] == ["RV-NEW"]


def test_a_report_no_rule_matches_opens_nothing(cast, push, rule):
    rule(requires_domestic_violence=False, nibrs_codes=["11A"])
    push(row("RV-1", ucr="13B"))

    assert outreach_cases(cast) == []


def test_offense_codes_match_exactly_or_by_prefix(cast, push, rule):
    rule(requires_domestic_violence=False, offense_codes=["720-5/12-3*"])
    push(row("RV-1", dv="N"), row("RV-2", dv="N", statute="720-5/19-1", victim="DIAZ, ANA"))

    assert [c.report_number for c in outreach_cases(cast)] == ["RV-1"]


def test_a_victim_who_is_also_the_suspect_gets_no_case(cast, push, rule):
    rule()
    push(row("RV-1", victim="MORALES, LUZ", suspect="MORALES, LUZ"))

    assert outreach_cases(cast) == []
    with agency_scope(cast.agency_a):
        decision = OutreachDecision.objects.get()
    assert decision.outcome == OutreachOutcome.EXCLUDED_SUSPECT


def test_a_minor_victims_case_opens_with_a_task_to_reach_the_guardian(cast, push, rule):
    rule(first_step="Check the report's narrative for children in the home")
    dob = (timezone.localdate() - timedelta(days=365 * 15)).isoformat()
    push(row("RV-1", dob=dob))

    [case] = outreach_cases(cast)
    with agency_scope(cast.agency_a):
        titles = sorted(Task.objects.filter(case=case).values_list("title", flat=True))
    assert titles == [
        "Check the report's narrative for children in the home",
        "The victim is a minor (14): reach a parent or guardian first",
    ]


def test_a_rule_can_skip_minor_victims(cast, push, rule):
    rule(minors="skip")
    dob = (timezone.localdate() - timedelta(days=365 * 15)).isoformat()
    push(row("RV-1", dob=dob))

    assert outreach_cases(cast) == []
    with agency_scope(cast.agency_a):
        assert OutreachDecision.objects.get().outcome == OutreachOutcome.EXCLUDED_MINOR


def test_an_unnamed_victim_gets_a_placeholder_person_for_the_specialist_to_find(
    cast, run_import, tmp_path, rule
):
    """Open-data exports name nobody: each report has one unknown victim (profile.py)."""
    rule()
    path = tmp_path / "anonymous.toml"
    path.write_text(PROFILE[: PROFILE.index("[[people]]")] + '[[people]]\nrole = "victim"\n')
    run_import(cast.agency_a, str(path), HEADER + row("RV-1", victim="", dob=""))

    [case] = outreach_cases(cast)
    assert str(case.primary_victim) == "Unknown victim, report RV-1"


def test_a_report_that_lists_no_victim_opens_nothing(cast, push, rule):
    rule()
    push(row("RV-1", victim="", dob=""))

    assert outreach_cases(cast) == []


def test_the_reports_phone_is_kept_but_not_marked_safe(cast, push, rule):
    rule()
    push(row("RV-1", phone="312-555-0199"))

    [case] = outreach_cases(cast)
    with agency_scope(cast.agency_a):
        point = ContactPoint.objects.get(person=case.primary_victim)
    assert point.value == "+13125550199"
    assert (point.ok_voicemail, point.ok_text) == (False, False)
    assert "not yet confirmed safe" in point.safety_note


def test_a_known_victim_with_an_open_case_gets_a_task_not_a_second_case(cast, push, rule):
    rule()
    # Dana Reyes (case_a) is known by her phone number.
    push(row("RV-9", victim="REYES, DANA", dob="", phone="(312) 555-0142"))

    assert outreach_cases(cast) == []
    with agency_scope(cast.agency_a):
        task = Task.objects.filter(case=cast.case_a).order_by("-id").first()
        decision = OutreachDecision.objects.get()
    assert task.title == "New police report RV-9 names this victim: review it"
    assert (decision.outcome, decision.case_id) == (OutreachOutcome.EXISTING_CASE, cast.case_a.pk)


def test_a_known_victim_on_two_reports_of_one_import_gets_one_case_and_a_task(
    cast, push, rule, sam
):
    """The cases of an import are written a batch at a time: the first report's case is
    written before the second report is decided, so the second finds it."""
    rule()
    with agency_scope(cast.agency_a):
        from haven.cases.services import case_change_status

        case_change_status(actor=sam, case=cast.case_a, status="closed", reason="Services ended")
    push(
        row("RV-8", victim="REYES, DANA", dob="", phone="(312) 555-0142", hours_ago=6),
        row("RV-9", victim="REYES, DANA", dob="", phone="(312) 555-0142", hours_ago=5),
    )

    [case] = outreach_cases(cast)
    assert (case.primary_victim_id, case.report_number) == (cast.case_a.primary_victim_id, "RV-8")
    with agency_scope(cast.agency_a):
        assert [t.title for t in Task.objects.filter(case=case)] == [
            "New police report RV-9 names this victim: review it"
        ]
        outcomes = OutreachDecision.objects.order_by("incident__report_number")
        assert [(d.outcome, d.case_id) for d in outcomes] == [
            (OutreachOutcome.OPENED, case.pk),
            (OutreachOutcome.EXISTING_CASE, case.pk),
        ]


def _uncertain_victim(cast, push, rule, sam):
    """Dana Reyes is known without a birth date; a report names a Dana Reyes born in 1990 with
    another phone: a possible match, so her outreach waits for the review."""
    rule()
    with agency_scope(cast.agency_a):
        from haven.cases.services import case_change_status

        case_change_status(actor=sam, case=cast.case_a, status="closed", reason="Services ended")
    push(row("RV-7", victim="REYES, DANA", dob="1990-04-02", phone="312-555-0177"))
    with agency_scope(cast.agency_a):
        return MatchCandidate.objects.get()


def test_an_uncertain_match_holds_the_case_until_a_specialist_decides(cast, push, rule, sam):
    candidate = _uncertain_victim(cast, push, rule, sam)

    assert outreach_cases(cast) == []
    with agency_scope(cast.agency_a):
        assert OutreachDecision.objects.get().outcome == OutreachOutcome.AWAITING_REVIEW
        match_candidate_link(actor=sam, candidate=candidate)

    [case] = outreach_cases(cast)
    assert case.primary_victim_id == cast.case_a.primary_victim_id
    with agency_scope(cast.agency_a):
        assert OutreachDecision.objects.get().outcome == OutreachOutcome.OPENED


def test_rejecting_the_match_opens_the_case_for_a_new_person(cast, push, rule, sam):
    candidate = _uncertain_victim(cast, push, rule, sam)
    with agency_scope(cast.agency_a):
        match_candidate_reject(actor=sam, candidate=candidate, reason="Different person")

    [case] = outreach_cases(cast)
    assert case.primary_victim_id != cast.case_a.primary_victim_id
    with agency_scope(cast.agency_a):
        victim = IncidentPerson.objects.get(role="victim")
        assert victim.link_source == LinkSource.CREATED
        assert Person.objects.filter(last_name_index=last_name_index("Reyes")).count() == 2


def test_a_dry_run_counts_the_cases_it_would_open_and_opens_none(cast, push, rule):
    rule()
    result = push(row("RV-1"), row("RV-2", victim="DIAZ, ANA"), flags=["--dry-run"])

    assert "up to 2 outreach cases would open" in result.out
    assert outreach_cases(cast) == []


def test_opening_is_audited_under_the_rules_name(cast, push, rule, new_audit_events):
    rule()
    push(row("RV-1"))

    [case] = outreach_cases(cast)
    [created] = new_audit_events(action=AuditAction.CASE_CREATE)
    assert created.actor_label == "outreach rules (manage.py import_incidents)"
    assert created.object_id == str(case.pk)
    [summary] = new_audit_events(action=AuditAction.OUTREACH_OPEN)
    assert summary.details["cases"] == [case.pk]
    assert "Morales" not in str(summary.details)


# --- saving rules -------------------------------------------------------------------------


def test_a_rule_needs_something_to_match(cast, cora):
    with agency_scope(cast.agency_a), pytest.raises(ValidationError) as error:
        outreach_rule_save(
            actor=cora, data=RuleData(name="All", victimization="adult_physical_assault")
        )
    assert "at least one offense code" in str(error.value.message_dict["nibrs_codes"])
    with agency_scope(cast.agency_a):
        assert not OutreachRule.objects.exists()


def test_a_rule_refuses_unknown_nibrs_codes_and_foreign_districts(cast, cora):
    from haven.agencies.models import District

    foreign = District.objects.create(agency=cast.agency_b, code="9", name="B's")
    data = RuleData(
        name="Assault",
        victimization="adult_physical_assault",
        nibrs_codes=["13A", "XYZ"],
        districts=[foreign],
    )
    with agency_scope(cast.agency_a), pytest.raises(ValidationError) as error:
        outreach_rule_save(actor=cora, data=data)
    assert "XYZ" in str(error.value.message_dict["nibrs_codes"])
    assert "districts" in error.value.message_dict


def test_a_rule_routed_to_a_specialist_needs_an_active_caseworker(cast, cora):
    data = RuleData(
        name="Homicide survivors",
        victimization="homicide_survivor",
        nibrs_codes=["09A"],
        route=RouteTo.SPECIALIST,
        assign_to=cast.officer,
    )
    with agency_scope(cast.agency_a), pytest.raises(ValidationError) as error:
        outreach_rule_save(actor=cora, data=data)
    assert "assign_to" in error.value.message_dict


def test_only_a_coordinator_saves_rules_and_each_save_is_audited(
    cast, cora, alice, new_audit_events
):
    data = RuleData(
        name="Sexual assault", victimization="adult_sexual_assault", nibrs_codes=["11a"]
    )
    with agency_scope(cast.agency_a):
        with pytest.raises(PermissionDenied):
            outreach_rule_save(actor=alice, data=data)
        rule = outreach_rule_save(actor=cora, data=data)
        data.priority = "high"
        outreach_rule_save(actor=cora, data=data, rule=rule)

    rule.refresh_from_db()
    assert (rule.nibrs_codes, rule.priority) == (["11A"], "high")
    saved = new_audit_events(action=AuditAction.OUTREACH_RULE_SAVE)
    assert [e.details for e in saved] == [
        {"created": True, "fields": saved[0].details["fields"]},
        {"created": False, "fields": ["priority"]},
    ]


def test_the_queue_says_how_many_victims_wait_for_a_match_decision(client, cast, push, rule, sam):
    _uncertain_victim(cast, push, rule, sam)
    client.force_login(cast.advocate.user)

    page = client.get("/queue/").content.decode()

    assert "1 victim from police reports waits for a match decision" in page
