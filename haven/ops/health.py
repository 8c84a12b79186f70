"""What /healthz checks: the database, the task queue and a recent worker heartbeat.

Each check returns None when fine, or a short reason that names no person or case."""

from datetime import timedelta

from django.conf import settings
from django.db import connection
from django.db.models import Max
from django.utils import timezone
from huey.contrib.djhuey import HUEY

from haven.ops.models import WorkerHeartbeat


def check_database() -> str | None:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any driver error means "not fine"
        return f"unreachable ({type(exc).__name__})"
    return None


def check_queue() -> str | None:
    """The task queue answers (Redis or the SQLite queue file): its length can be read."""
    try:
        HUEY.pending_count()
    except Exception as exc:  # redis.ConnectionError, sqlite3.OperationalError, ...
        return f"unreachable ({type(exc).__name__})"
    return None


def check_worker() -> str | None:
    """Some worker wrote its heartbeat within HAVEN_HEARTBEAT_MAX_SECONDS."""
    try:
        last = WorkerHeartbeat.objects.aggregate(last=Max("beat_at"))["last"]
    except Exception as exc:
        return f"heartbeat unreadable ({type(exc).__name__})"
    if last is None:
        return "no heartbeat yet (is `manage.py run_huey` running?)"
    age = timezone.now() - last
    if age > timedelta(seconds=settings.HEARTBEAT_MAX_SECONDS):
        return f"last heartbeat {int(age.total_seconds())} seconds ago"
    return None


def health() -> dict[str, str | None]:
    """{check name: None or what is wrong}; the worker is not checked when the database is
    down (its heartbeat lives there, so the one failure would read as two)."""
    database = check_database()
    return {
        "database": database,
        "queue": check_queue(),
        "worker": "not checked: the database is down" if database else check_worker(),
    }
