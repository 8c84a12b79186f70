"""Background work of call-outs: thin callers of crisis.notifications, in the agency's scope."""

from huey.contrib.djhuey import db_task

from haven.core.scoping import agency_scope
from haven.crisis.notifications import send_callout_alert


# A mail server that is down for a while should delay the alert, not lose it.
@db_task(retries=5, retry_delay=60)
def callout_alert(callout_id: int, agency_id: int, site_url: str = "") -> list[str]:
    """Alert the on-call specialist that an officer asks for one to come (after the commit)."""
    with agency_scope(agency_id):
        return send_callout_alert(callout_id=callout_id, site_url=site_url)
