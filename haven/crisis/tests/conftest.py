"""Shortcuts for the crisis tests: every one reasons about hours, so the clock starts on the
root conftest's Wednesday (docs/testing.md); who is on call comes from the cases tests."""

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from haven.cases.tests.conftest import on_call  # noqa: F401
from haven.crisis.services import CallOutInput


@pytest.fixture(autouse=True)
def _on_a_known_day(clock):
    """Call-out times are checked against now and each other."""


def ago(**delta) -> datetime:
    return timezone.now() - timedelta(**delta)


def callout_input(**changes) -> CallOutInput:
    fields = {"requested_by": "officer", "requested_at": ago(minutes=30), "place": "scene"}
    return CallOutInput(**(fields | changes))
