"""Background work on cases: thin callers of cases.notifications, each in its agency's scope."""

from huey.contrib.djhuey import db_task

from haven.cases.notifications import send_referral_alert
from haven.core.scoping import agency_scope


# Queueing only writes rows (the outbox worker retries the sending); a retry covers a database
# hiccup.
@db_task(retries=3, retry_delay=30)
def referral_alert(case_id: int, agency_id: int, site_url: str = "") -> list[str]:
    """Alert the on-call specialist to a new officer referral (scheduled after its commit)."""
    with agency_scope(agency_id):
        return send_referral_alert(case_id=case_id, site_url=site_url)
