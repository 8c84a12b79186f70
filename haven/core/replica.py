"""Reads that may come from a streaming replica (HAVEN_REPLICA_DATABASE_URL; docs/scaling.md).

Only code inside `replica_reads()` reads from the replica: the reports dashboard and the report
downloads, whose figures may be a few seconds old. Everything else reads the primary, and
everything is written to the primary. Inside the block, the access log, the sessions, sign-in
lock-outs and second factors are still read on the primary: writing to the access log locks
its chain head, which a replica refuses, and security checks must not see old rows. Without a
replica configured the block changes nothing.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import wraps

from django.db import connections

REPLICA = "replica"
PRIMARY = "default"
# Apps whose rows are never read from the replica, even inside the block.
PRIMARY_ONLY_APPS = frozenset({"audit", "sessions", "axes", "otp_totp", "otp_static", "django_otp"})

_reading = ContextVar("haven_replica_reads", default=False)


def replica_configured() -> bool:
    return REPLICA in connections.settings


@contextmanager
def replica_reads() -> Iterator[None]:
    """Inside this block, reads of most models go to the replica when one is configured."""
    token = _reading.set(True)
    try:
        yield
    finally:
        _reading.reset(token)


def reads_from_replica(view: Callable) -> Callable:
    """A view whose reads may come from the replica (see `replica_reads`)."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        with replica_reads():
            return view(*args, **kwargs)

    return wrapper


class ReplicaRouter:
    """DATABASE_ROUTERS: reads inside `replica_reads()` to the replica, all writes to the
    primary (also for objects that were read from the replica), migrations on the primary."""

    def db_for_read(self, model, **hints):
        if (
            _reading.get()
            and model._meta.app_label not in PRIMARY_ONLY_APPS
            and replica_configured()
        ):
            return REPLICA
        return PRIMARY

    def db_for_write(self, model, **hints):
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints):
        return {obj1._state.db, obj2._state.db} <= {PRIMARY, REPLICA, None}

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == PRIMARY
