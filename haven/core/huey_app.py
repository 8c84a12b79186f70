"""The task queue's Django app, imported without the drivers the configured queue does not use.

huey's storage module tries to import redis and psycopg, and its consumer gevent, whatever the
queue: about a third of `django.setup()`'s imports on a SQLite installation, paid by every
command, every worker and every test process (docs/performance.md, "Commands"). INSTALLED_APPS
names `HueyConfig` instead of `huey.contrib.djhuey`; this module is imported first, and imports
huey with each driver the queue in settings.HUEY does not need marked missing for that one
import, as huey's own `try: import redis / except ImportError` expects when it is not
installed. The drivers stay importable afterwards for whoever needs them (Django's PostgreSQL
backend, a Redis cache). A queue on Redis (HAVEN_REDIS_URL) imports redis as before.

gevent is only left out when nothing imported it before: greenlet workers
(`run_huey -k greenlet`) need gevent's monkey-patching applied first, which imports it.
"""

import sys

from django.apps import AppConfig
from django.conf import settings

# The optional driver each of huey's queue classes needs (huey/api.py, huey/storage.py).
_DRIVERS = {"redis": "Redis", "psycopg": "Postgres"}


def unused_drivers(huey_setting) -> list[str]:
    """The optional modules huey need not import for this HUEY setting (a dict, or a huey
    instance already made, when there is nothing left to spare)."""
    if not isinstance(huey_setting, dict):
        return []
    module, _, huey_class = huey_setting.get("huey_class", "huey.RedisHuey").rpartition(".")
    if module in ("huey", "huey.api"):
        unused = [driver for driver, word in _DRIVERS.items() if word not in huey_class]
    else:  # a class of one's own may use either
        unused = []
    worker_type = huey_setting.get("consumer", {}).get("worker_type", "thread")
    if worker_type not in ("greenlet", "gevent"):
        unused.append("gevent")
    return unused


def import_huey_without(modules: list[str]) -> None:
    """Import huey with `modules` unimportable, unless huey or a module is already imported."""
    if "huey.storage" in sys.modules:
        return
    blocked = [name for name in modules if name not in sys.modules]
    for name in blocked:
        sys.modules[name] = None  # import raises ImportError (the import system's own rule)
    try:
        import huey  # noqa: F401
    finally:
        for name in blocked:
            if sys.modules.get(name, False) is None:
                del sys.modules[name]


import_huey_without(unused_drivers(getattr(settings, "HUEY", None)))


class HueyConfig(AppConfig):
    name = "huey.contrib.djhuey"
    label = "djhuey"
