"""Background sending: a kick right after a message is queued, and a sweep every minute that
also recovers claims left by a worker that died. Both are thin callers of services.send_due,
which claims each message with a conditional UPDATE, so any number of workers is safe."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from haven.notices.services import send_due


@db_task()
def notices_kick(agency_id: int) -> int:
    return send_due(agency_id=agency_id, batch=20)


@db_periodic_task(crontab(minute="*"))
def notices_every_minute() -> int:
    return send_due(batch=200)
