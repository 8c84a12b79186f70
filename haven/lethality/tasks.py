"""Background work for lethality screens: a thin caller of lethality.notifications."""

from huey.contrib.djhuey import db_task

from haven.core.scoping import agency_scope
from haven.lethality.notifications import send_lethality_alert


# Queueing only writes rows (the outbox worker retries the sending); a retry covers a database
# hiccup.
@db_task(retries=3, retry_delay=30)
def lethality_alert(screen_id: int, agency_id: int, site_url: str = "") -> list[str]:
    """Alert the specialists to a high-danger screen (scheduled after its commit)."""
    with agency_scope(agency_id):
        return send_lethality_alert(screen_id=screen_id, site_url=site_url)
