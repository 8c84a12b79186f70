import pytest

from haven.audit.models import AuditEvent
from haven.audit.selectors import verify_chain


@pytest.mark.django_db
def test_the_cast_writes_an_intact_chain(cast):
    chain = str(cast.agency_a.pk)
    checked, broken = verify_chain(chain)
    assert broken is None
    assert checked == AuditEvent.objects.filter(chain=chain).count() > 0
