"""Background work on incidents: the import of an uploaded export, run by a worker as the
coordinator who uploaded it, and the removal of uploads no worker got to.

The upload page (views.import_new) saves the file under var/imports/ and queues
`import_upload`. The upload's own page follows it through huey's key-value store, which the web
servers and the workers share (huey's SQLite file in var/, or Redis): nothing until a worker
starts it, then "running", then the one final answer: the ImportRun to show (published as soon
as the import has created it, so its page can show the run going), a dry run's counts, or why
the import could not run. A real import's outcome, failed or not, is on its ImportRun.
"""

from __future__ import annotations

import logging
import time
import uuid
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from huey import crontab
from huey.contrib.djhuey import HUEY, db_task, periodic_task

from haven.agencies.models import Membership
from haven.core.actor import Actor
from haven.core.scoping import agency_scope
from haven.incidents.importer import ImportResult
from haven.incidents.models import ImportRun
from haven.incidents.profile import ProfileError, load_profile
from haven.incidents.reader import FileError
from haven.incidents.services import incidents_import

logger = logging.getLogger(__name__)

RUNNING = "running"
RUN = "run"  # final: the import created this ImportRun
DONE = "done"  # final: a dry run, or a strict import refused for bad rows (no ImportRun)
ERROR = "error"  # final: the import could not start
BAD_ROWS_KEPT = 100  # on a dry run's answer; all are counted
STALE_AFTER = 24 * 3600  # seconds an upload may wait for a worker before it is removed


def upload_dir() -> Path:
    """Where uploads wait for a worker: under var/, which the web servers and the workers must
    share. Exports name victims: the folder is the service account's alone."""
    path = Path(settings.VAR_DIR) / "imports"
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


def new_upload_id() -> str:
    return uuid.uuid4().hex


def upload_state(upload_id: str) -> dict | None:
    """What the worker last said about the upload; None while it waits in the queue."""
    return HUEY.get(_key(upload_id), peek=True)


def upload_state_forget(upload_id: str) -> None:
    """Drop a final answer once the upload's page has kept it (in the member's session)."""
    HUEY.delete(_key(upload_id))


def is_final(state: dict | None) -> bool:
    return state is not None and state["state"] in (RUN, DONE, ERROR)


@db_task()
def import_upload(
    upload_id: str,
    *,
    path: str,
    file_name: str,
    profile: str,
    dry_run: bool,
    strict: bool,
    agency_id: int,
    membership_id: int,
    ip: str | None = None,
    user_agent: str = "",
) -> None:
    """Import the uploaded file as the member who uploaded it (their role as it is now, so a
    coordinator who lost the role is refused), inside their agency's scope; then delete it."""
    run = _Announced(upload_id)
    try:
        with agency_scope(agency_id):
            actor = _actor(agency_id, membership_id, ip, user_agent)
            _publish(upload_id, {"state": RUNNING})
            with open(path, "rb") as stream:
                result = incidents_import(
                    actor=actor,
                    profile=load_profile(profile),
                    stream=stream,
                    file_name=file_name,
                    dry_run=dry_run,
                    strict=strict,
                    on_run=run.created,
                )
    except (FileError, ProfileError, PermissionDenied) as exc:
        run.end(str(exc))
        return
    except FileNotFoundError:
        run.end(
            "The uploaded file is gone: an upload that waits a day for the background worker "
            "is removed. Upload it again."
        )
        return
    except BaseException:
        # The run, if there is one, was marked failed with the error; the traceback goes to
        # the worker's log through huey.
        run.end("The import stopped on an unexpected error.")
        raise
    finally:
        Path(path).unlink(missing_ok=True)
    if result.run is not None:
        run.end()
    else:
        _publish(upload_id, {"state": DONE, **_counts(result)})


class _Announced:
    """The upload's ImportRun, once the import has created it, and whether its page was
    announced yet (at most once: the upload's page may already have taken the answer)."""

    def __init__(self, upload_id: str):
        self.upload_id = upload_id
        self.run_id: int | None = None
        self.announced = False

    def created(self, run: ImportRun) -> None:
        self.run_id = run.pk
        transaction.on_commit(self._announce)  # its page must find it committed

    def _announce(self) -> None:
        if not self.announced:
            self.announced = True
            _publish(self.upload_id, {"state": RUN, "run": self.run_id})

    def end(self, message: str = "") -> None:
        """The final answer: the run (its page shows any failure), else the message."""
        if self.run_id is not None:
            self._announce()
        else:
            _publish(self.upload_id, {"state": ERROR, "message": message})


@periodic_task(crontab(minute="40"))
def remove_stale_uploads() -> None:
    """Remove uploads older than a day: their import never ran (no worker, a lost queue), and
    an export full of names must not sit on the disk."""
    cutoff = time.time() - STALE_AFTER
    for path in upload_dir().iterdir():
        if path.is_file() and path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)
            logger.warning("Removed an upload no worker imported: %s", path.name)


def _actor(agency_id: int, membership_id: int, ip, user_agent: str) -> Actor:
    membership = (
        Membership.objects.select_related("agency", "user")
        .filter(pk=membership_id, agency_id=agency_id, is_active=True, user__is_active=True)
        .first()
    )
    if membership is None:
        raise PermissionDenied("The member who uploaded the file is no longer active.")
    return Actor.for_membership(membership, ip=ip, user_agent=user_agent)


def _counts(result: ImportResult) -> dict:
    return {
        "dry_run": result.dry_run,
        "strict": result.strict,
        "rows": result.rows,
        "new": result.new,
        "updated": result.updated,
        "unchanged": result.unchanged,
        "bad_count": result.bad_count,
        "bad": [{"line": bad.line, "reason": bad.reason} for bad in result.bad[:BAD_ROWS_KEPT]],
        "seconds": round(result.seconds, 1),
    }


def _publish(upload_id: str, state: dict) -> None:
    HUEY.put(_key(upload_id), state)


def _key(upload_id: str) -> str:
    return f"incidents.upload.{upload_id}"
