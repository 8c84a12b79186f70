"""core.each_agency: every agency has its turn, in its own scope, even after one fails."""

import pytest
from django_scopes import get_scope

from haven.agencies.each_agency import each_agency


def test_every_agency_runs_in_its_scope_and_none_results_are_left_out(cast):
    seen = []

    def work(agency):
        seen.append((agency.pk, get_scope().get("agency")))
        return None if agency == cast.agency_b else "ok"

    assert each_agency(work, what="Test work") == {cast.agency_a.pk: "ok"}
    assert seen == [
        (a.pk, a.pk) for a in sorted([cast.agency_a, cast.agency_b], key=lambda a: a.pk)
    ]


def test_one_agencys_failure_is_logged_and_raised_after_the_others_had_their_turn(cast, caplog):
    ran = []

    def work(agency):
        ran.append(agency.pk)
        if agency == cast.agency_a:
            raise RuntimeError("mail server down")
        return 1

    with pytest.raises(RuntimeError, match="mail server down"):
        each_agency(work, what="Test work")
    assert sorted(ran) == sorted([cast.agency_a.pk, cast.agency_b.pk])
    assert f"Test work failed for agency {cast.agency_a.pk}." in caplog.text
