"""Migrations incidents 0006-0008 encrypt the names and birth dates of the people on reports that a
database made by the code before holds in clear; migrating back decrypts them.

The test migrates its own database back to incidents 0005, writes a report and its people
through the historical models of that state (names and dates in clear, as the code of the day
wrote them), migrates forward, reads them back through today's models and matches the victim
to the person the agency knows, then migrates back. Run it on PostgreSQL too:
`HAVEN_DATABASE_URL=postgres://... pytest haven/incidents/tests/test_migration_encrypt.py`.
"""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from haven.core.scoping import agency_scope
from haven.incidents import matching
from haven.incidents.models import IncidentPerson, LinkSource
from haven.lib.crypto import TOKEN_PREFIX
from haven.people.services import person_update

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = ("incidents", "0005_investigation_status")  # before 0006-0008


def _migrate(target: list[tuple[str, str]]):
    executor = MigrationExecutor(connection)
    executor.migrate(target)
    executor.loader.build_graph()
    return executor.loader.project_state(target).apps


def _latest():
    return _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


def _raw(pk: int) -> tuple:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT first_name, last_name, date_of_birth FROM incidents_incidentperson "
            "WHERE id = %s",
            [pk],
        )
        return cursor.fetchone()


def test_people_on_reports_are_encrypted_still_matched_and_the_reverse_decrypts(cast):
    supervisor = cast.actor("supervisor")
    with agency_scope(cast.agency_a):
        person_update(
            actor=supervisor,
            person=cast.victim_a,
            date_of_birth=date(1984, 7, 9),
        )
    try:
        old = _migrate([BEFORE])
        OldIncident = old.get_model("incidents", "Incident")
        OldPerson = old.get_model("incidents", "IncidentPerson")
        incident = OldIncident.objects.create(
            agency_id=cast.agency_a.pk,
            report_number="RV-OLD-2",
            reported_at=timezone.now() - timedelta(days=1),
            source_profile="test",
            source_hash="x" * 64,
        )
        victim = OldPerson.objects.create(
            agency_id=cast.agency_a.pk,
            incident=incident,
            position=1,
            role="victim",
            first_name="Dana",
            last_name="Reyes",
            date_of_birth=date(1984, 7, 9),
        )
        unknown = OldPerson.objects.create(
            agency_id=cast.agency_a.pk, incident=incident, position=1, role="suspect"
        )
        assert _raw(victim.pk)[:2] == ("Dana", "Reyes")

        _latest()

        # The database holds ciphertext only; today's models read the values back.
        first, last, born = _raw(victim.pk)
        assert all(v.startswith(TOKEN_PREFIX) for v in (first, last, born))
        assert _raw(unknown.pk) == ("", "", None)
        with agency_scope(cast.agency_a):
            stored = IncidentPerson.objects.get(pk=victim.pk)
            assert (stored.first_name, stored.last_name) == ("Dana", "Reyes")
            assert stored.date_of_birth == date(1984, 7, 9)
            assert not IncidentPerson.objects.get(pk=unknown.pk).is_named
            # The import's matching reads the decrypted values: the same name and birth date
            # is still a certain match.
            outcome = matching.match_victims(supervisor, [stored])
            assert outcome.linked == 1
            assert (stored.person_id, stored.link_source) == (cast.victim_a.pk, LinkSource.EXACT)

        # Back: names and dates in clear again.
        old = _migrate([BEFORE])
        assert _raw(victim.pk)[:2] == ("Dana", "Reyes")
        back = old.get_model("incidents", "IncidentPerson").objects.get(pk=victim.pk)
        assert back.date_of_birth == date(1984, 7, 9)
    finally:
        _latest()
