"""The cases tests' shortcuts (audit events since the cast, row counts, who is on call, a real
SMTP server), shared with the lethality tests."""

import pytest

from haven.agencies.models import Agency
from haven.cases.tests.conftest import on_call, row_counts  # noqa: F401


@pytest.fixture
def emails(cast):
    """Alice (case_a's specialist) and Bob (on call) have email addresses."""
    for member, address in ((cast.advocate, "alice@x.example"), (cast.advocate2, "bob@x.example")):
        member.user.email = address
        member.user.save(update_fields=["email"])
    Agency.objects.filter(pk=cast.agency_a.pk).update(on_call=cast.advocate2)
