"""Shortcuts for the assistance tests: recording a service some time ago. The served sister and
the unserved witness on Alice's case are the root conftest's."""

from datetime import timedelta

import pytest
from django.utils import timezone

from haven.assistance.services import service_provide

# Roles that may read no case record and change nothing on one.
NON_CASEWORKER_ROLES = ["officer", "analyst", "auditor"]


@pytest.fixture
def provide(cast):
    """provide(actor, code, ago=...): record a service on Alice's case, `ago` before now."""

    def record(actor, code="C1", *, case=None, ago=timedelta(minutes=30), **extra):
        return service_provide(
            actor=actor,
            case=case or cast.case_a,
            sub_service=code,
            provided_at=timezone.now() - ago,
            **extra,
        )

    return record
