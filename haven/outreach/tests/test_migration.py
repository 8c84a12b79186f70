"""The outreach rules and decisions moved from the incidents app to this one: a database made by
the migrations before the move keeps every rule, district choice and decision after it.

The test migrates its own database back to the leaves of the graph before the move (incidents
0003_import_rejects, no outreach app), writes rows through the historical models of that state,
migrates forward and reads them back through the models of today. Run it on PostgreSQL too (see
docs/outreach.md).
"""

from datetime import timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from haven.core.scoping import agency_scope
from haven.incidents.models import Incident, IncidentPerson, PersonRole
from haven.outreach.models import OutreachDecision, OutreachOutcome, OutreachRule

pytestmark = pytest.mark.django_db(transaction=True)

# The incidents app's last migration on main when the move was made.
BEFORE_THE_MOVE = ("incidents", "0003_import_rejects")


def _leaves(executor: MigrationExecutor, *, before_the_move: bool) -> list[tuple[str, str]]:
    leaves = executor.loader.graph.leaf_nodes()
    if not before_the_move:
        return leaves
    # (outreach, None): no outreach app at all, so the move (incidents 0003_outreach_moved...,
    # which depends on it) is unapplied too.
    kept = [node for node in leaves if node[0] not in ("incidents", "outreach")]
    return [*kept, BEFORE_THE_MOVE, ("outreach", None)]


def _migrate(*, before_the_move: bool):
    """Migrate the test database; returns the apps registry of the state it reached."""
    executor = MigrationExecutor(connection)
    targets = _leaves(executor, before_the_move=before_the_move)
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state([t for t in targets if t[1] is not None]).apps


@pytest.fixture
def report(cast):
    """A report with one victim, written with today's models (their tables do not move)."""
    with agency_scope(cast.agency_a):
        incident = Incident.objects.create(
            agency=cast.agency_a,
            report_number="RV-OLD-1",
            reported_at=timezone.now() - timedelta(days=1),
            district=cast.district_a,
            domestic_violence=True,
            source_profile="test",
            source_hash="x" * 64,
        )
        victim = IncidentPerson.objects.create(
            agency=cast.agency_a,
            incident=incident,
            position=1,
            role=PersonRole.VICTIM,
            first_name="Luz",
            last_name="Morales",
        )
    return incident, victim


def test_the_move_keeps_every_rule_district_and_decision(cast, report):
    incident, victim = report
    try:
        old = _migrate(before_the_move=True)
        # The state before the move: the models are the incidents app's, in its tables.
        OldRule = old.get_model("incidents", "OutreachRule")
        OldDecision = old.get_model("incidents", "OutreachDecision")
        OldContentType = old.get_model("contenttypes", "ContentType")
        assert OldRule._meta.db_table == "incidents_outreachrule"
        with pytest.raises(LookupError):
            old.get_model("outreach", "OutreachRule")
        # The content types an old database has (migrating back moved today's there).
        OldContentType.objects.filter(app_label="outreach").delete()
        old_types = {
            model: OldContentType.objects.get_or_create(app_label="incidents", model=model)[0].pk
            for model in ("outreachrule", "outreachdecision")
        }
        on = OldRule.objects.create(
            agency_id=cast.agency_a.pk,
            name="Domestic violence",
            position=10,
            nibrs_codes=["13A", "13B"],
            offense_codes=["720-5/12-3.2"],
            requires_domestic_violence=True,
            max_report_age_days=7,
            victimization="domestic_violence",
            priority="high",
            route="specialist",
            assign_to_id=cast.advocate.pk,
            minors="skip",
            first_step="Call the victim within the hour",
            updated_by_id=cast.coordinator.pk,
        )
        on.districts.set([cast.district_a.pk])
        off = OldRule.objects.create(
            agency_id=cast.agency_a.pk,
            name="Old shootings rule",
            is_active=False,
            nibrs_codes=["13A"],
            requires_firearm=True,
            victimization="adult_physical_assault",
        )
        decided_at = timezone.now() - timedelta(hours=3)
        decision = OldDecision.objects.create(
            agency_id=cast.agency_a.pk,
            incident_id=incident.pk,
            incident_person_id=victim.pk,
            rule_id=on.pk,
            outcome="opened",
            case_id=cast.case_a.pk,
            decided_at=decided_at,
        )

        _migrate(before_the_move=False)
    finally:
        # Whatever happened, leave the database as every other test expects it.
        _migrate(before_the_move=False)

    from django.contrib.contenttypes.models import ContentType

    with agency_scope(cast.agency_a):
        rules = list(OutreachRule.objects.order_by("pk"))
        assert [(r.pk, r.name, r.is_active) for r in rules] == [
            (on.pk, "Domestic violence", True),
            (off.pk, "Old shootings rule", False),
        ]
        moved = rules[0]
        assert moved.nibrs_codes == ["13A", "13B"]
        assert moved.offense_codes == ["720-5/12-3.2"]
        assert moved.requires_domestic_violence and not moved.requires_firearm
        assert (moved.max_report_age_days, moved.victimization, moved.priority) == (
            7,
            "domestic_violence",
            "high",
        )
        assert (moved.route, moved.assign_to, moved.minors) == ("specialist", cast.advocate, "skip")
        assert moved.first_step == "Call the victim within the hour"
        assert moved.updated_by == cast.coordinator
        assert list(moved.districts.all()) == [cast.district_a]
        assert rules[1].requires_firearm and list(rules[1].districts.all()) == []

        [kept] = OutreachDecision.objects.all()
        assert kept.pk == decision.pk
        assert (kept.rule, kept.outcome, kept.case, kept.decided_at) == (
            moved,
            OutreachOutcome.OPENED,
            cast.case_a,
            decided_at,
        )
        assert (kept.incident, kept.incident_person) == (incident, victim)
        # The reverse accessors the import uses still reach the moved rows.
        assert IncidentPerson.objects.get(pk=victim.pk).outreach == kept
        assert list(moved.decisions.all()) == [kept]

    # The tables have the new app's names, and the old ones are gone.
    tables = set(connection.introspection.table_names())
    assert {
        "outreach_outreachrule",
        "outreach_outreachdecision",
        "outreach_outreachrule_districts",
    } <= tables
    assert not {t for t in tables if t.startswith("incidents_outreach")}
    # The content types moved with them (same rows, so anything pointing at them follows).
    ContentType.objects.clear_cache()
    for model, pk in old_types.items():
        assert ContentType.objects.get(app_label="outreach", model=model).pk == pk
    assert not ContentType.objects.filter(app_label="incidents", model__startswith="outreach")
