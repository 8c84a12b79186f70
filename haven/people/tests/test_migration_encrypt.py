"""Migrations people 0004-0006 encrypt the names and birth dates a database made by the code before
it holds in clear, and indexes them; migrating back decrypts them.

The test migrates its own database back to people 0003, writes people and an alias through the
historical models of that state (names and dates in clear, as the code of the day wrote them),
migrates forward and reads them back through today's models. Run it on PostgreSQL too:
`HAVEN_DATABASE_URL=postgres://... pytest haven/people/tests/test_migration_encrypt.py`.
"""

from datetime import date

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from haven.cases.people_selectors import people_matching
from haven.core.scoping import agency_scope
from haven.lib.crypto import TOKEN_PREFIX
from haven.people.indexes import alias_indexes, person_indexes
from haven.people.models import Person, PersonAlias

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = ("people", "0003_age_band_from_reports")  # before 0004-0006


def _migrate(target: list[tuple[str, str]]):
    executor = MigrationExecutor(connection)
    executor.migrate(target)
    executor.loader.build_graph()
    return executor.loader.project_state(target).apps


def _latest():
    return _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


def _raw(table: str, columns: str, pk: int) -> tuple:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {columns} FROM {table} WHERE id = %s", [pk])  # noqa: S608
        return cursor.fetchone()


def test_existing_people_are_encrypted_indexed_and_found_and_the_reverse_decrypts(cast):
    try:
        old = _migrate([BEFORE])
        OldPerson = old.get_model("people", "Person")
        OldAlias = old.get_model("people", "PersonAlias")
        luz = OldPerson.objects.create(
            agency_id=cast.agency_a.pk,
            first_name="Luz",
            middle_name="María",
            last_name="Morales",
            preferred_name="Lucy",
            date_of_birth=date(1984, 7, 9),
        )
        nameless_date = OldPerson.objects.create(
            agency_id=cast.agency_a.pk, first_name="Unknown", last_name="Unknown"
        )
        OldAlias.objects.create(
            agency_id=cast.agency_a.pk, person=luz, first_name="Luz", last_name="Ortega"
        )
        assert _raw("people_person", "last_name", luz.pk) == ("Morales",)

        _latest()

        # The database holds ciphertext only; today's models read the values back.
        first, last, born = _raw("people_person", "first_name, last_name, date_of_birth", luz.pk)
        assert (
            first.startswith(TOKEN_PREFIX)
            and last.startswith(TOKEN_PREFIX)
            and born.startswith(TOKEN_PREFIX)
        )
        assert "Morales" not in last and "1984" not in born
        (alias_last,) = _raw("people_personalias", "last_name", OldAlias.objects.get().pk)
        assert alias_last.startswith(TOKEN_PREFIX)
        with agency_scope(cast.agency_a):
            person = Person.objects.get(pk=luz.pk)
            assert (person.first_name, person.middle_name, person.last_name) == (
                "Luz",
                "María",
                "Morales",
            )
            assert person.preferred_name == "Lucy"
            assert person.date_of_birth == date(1984, 7, 9)
            assert Person.objects.get(pk=nameless_date.pk).date_of_birth is None
            for field, digest in person_indexes("Luz", "Morales", date(1984, 7, 9)).items():
                assert getattr(person, field) == digest != ""
            alias = PersonAlias.objects.get()
            assert (alias.first_name, alias.last_name) == ("Luz", "Ortega")
            assert alias.name_index == alias_indexes("Luz", "Ortega")["name_index"]
            # The cast's own people were encrypted too (they were written in clear at 0003).
            supervisor = cast.actor("supervisor")
            assert people_matching(supervisor, first_name="Dana", last_name="Reyes") == [
                cast.victim_a
            ]

        # Back: names and dates in clear again.
        old = _migrate([BEFORE])
        OldPerson = old.get_model("people", "Person")
        assert _raw("people_person", "first_name, last_name", luz.pk) == ("Luz", "Morales")
        back = OldPerson.objects.get(pk=luz.pk)
        assert (back.preferred_name, back.date_of_birth) == ("Lucy", date(1984, 7, 9))
        assert old.get_model("people", "PersonAlias").objects.get().last_name == "Ortega"
    finally:
        _latest()
