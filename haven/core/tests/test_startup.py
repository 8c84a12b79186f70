"""What `django.setup()` imports: every command, worker and test process pays for it, so the
heavy libraries and the apps' service modules wait until something calls them (issue 21,
docs/performance.md, "Commands"). Not a timed test: it lists the modules a fresh process has
imported once set up, which does not depend on the machine's load."""

import json
import os
import subprocess
import sys

import pytest
from django.conf import settings

from haven.core.huey_app import unused_drivers
from haven.lib.lazy import lazy

# Each is imported by the code that uses it, never by the set-up itself.
NOT_AT_SETUP = [
    # Task-queue drivers a SQLite installation does not use (core/huey_app.py).
    "redis",
    "psycopg",
    "gevent",
    # Libraries of one feature: PDF letters, spreadsheets, fuzzy matching, phone numbers, the
    # import's progress bar; the field encryption (loaded on the first value encrypted or read).
    "fpdf",
    "openpyxl",
    "rapidfuzz",
    "phonenumbers",
    "tqdm",
    "cryptography",
    # The apps' services and what they import, loaded on first call by the hooks and signal
    # receivers registered in AppConfig.ready (haven/lib/lazy.py).
    "haven.outreach.decisions",
    "haven.incidents.mapper",
    "haven.incidents.profile",
    "haven.notices.services",
    "haven.notices.investigation",
    "haven.notices.staff_alerts",
    "haven.reports.services",
    "haven.reports.figures",
    "haven.cases.services",
    "haven.cases.closing",
    "haven.oncall.selectors",
    "haven.protocols.services",
    "haven.assistance.services",
    "haven.documents.services",
    # The web: URL modules and views are the system checks' business, not a command's.
    "haven.urls",
    "rest_framework.views",
    "drf_spectacular.openapi",
    # What the sign-in receivers call (accounts/sign_in_audit.py imports it in the receiver):
    # the audit services and the chain, the web middleware, the second factor.
    "haven.audit.services",
    "haven.audit.selectors",
    "haven.accounts.middleware",
    "django.middleware.locale",
    "haven.core.two_factor",
    "haven.core.middleware",
    "haven.agencies.selectors",
    # The stored files, imported by the key rotation that re-encrypts them (documents/apps.py).
    "haven.documents.storage",
]


def in_a_new_process(tmp_path, code: str, **env) -> str:
    """What `code` prints in a new process with production settings (SQLite, no Redis)."""
    child_env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("HAVEN_DATABASE_URL", "HAVEN_REDIS_URL", "HAVEN_TESTING")
    }
    child_env |= {"DJANGO_SETTINGS_MODULE": "haven.settings", "HAVEN_VAR_DIR": str(tmp_path)}
    child_env |= env
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=settings.BASE_DIR,
        env=child_env,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


def modules_after_setup(tmp_path, **env) -> set[str]:
    """The modules a new process with production settings has imported after django.setup()."""
    code = "import django, json, sys; django.setup(); print(json.dumps(sorted(sys.modules)))"
    return set(json.loads(in_a_new_process(tmp_path, code, **env)))


def test_setting_up_django_imports_no_heavy_module_it_does_not_use(tmp_path):
    loaded = modules_after_setup(tmp_path)
    assert "haven.cases.models" in loaded  # it did set up
    imported = [name for name in NOT_AT_SETUP if name in loaded]
    assert imported == [], f"django.setup() now imports {imported}: see docs/performance.md"
    views = sorted(name for name in loaded if name.startswith("haven.") and ".views" in name)
    assert views == []


def test_a_queue_on_redis_still_imports_redis(tmp_path):
    code = (
        "import django; django.setup(); import huey.storage as s; "
        "from huey.contrib.djhuey import HUEY; "
        "print(type(HUEY).__name__, s.Redis is not None, s.psycopg is None)"
    )
    # Nothing connects at set-up: no Redis server is needed.
    printed = in_a_new_process(tmp_path, code, HAVEN_REDIS_URL="redis://127.0.0.1:9/0")
    assert printed.split() == ["RedisHuey", "True", "True"]


def test_set_up_collects_garbage_again_once_done_and_its_objects_are_frozen(tmp_path):
    code = (
        "import gc, django; gc.collect(); frozen = gc.get_freeze_count(); django.setup(); "
        "print(frozen, gc.isenabled(), gc.get_freeze_count() > 50_000, "
        "gc.collect() >= 0)"  # a collection after set-up runs as before
    )
    assert in_a_new_process(tmp_path, code).split() == ["0", "True", "True", "True"]


def test_set_up_leaves_a_collector_turned_off_before_it_off(tmp_path):
    code = "import gc, django; gc.disable(); django.setup(); print(gc.isenabled())"
    assert in_a_new_process(tmp_path, code).split() == ["False"]


def test_the_models_are_imported_while_collection_is_paused(tmp_path):
    code = (
        "import gc, django; from django.apps import AppConfig; seen = []; "
        "real = AppConfig.import_models; "
        "AppConfig.import_models = lambda self: (seen.append(gc.isenabled()), real(self)); "
        "django.setup(); print(len(seen) > 40, any(seen))"
    )
    # Django creates every app's config (haven.core's pauses) before it imports any models.
    assert in_a_new_process(tmp_path, code).split() == ["True", "False"]


@pytest.mark.parametrize(
    ("huey", "unused"),
    [
        ({"huey_class": "huey.SqliteHuey"}, ["redis", "psycopg", "gevent"]),
        ({"huey_class": "huey.MemoryHuey"}, ["redis", "psycopg", "gevent"]),
        ({"huey_class": "huey.RedisHuey"}, ["psycopg", "gevent"]),
        ({"huey_class": "huey.api.PriorityRedisExpireHuey"}, ["psycopg", "gevent"]),
        ({}, ["psycopg", "gevent"]),  # djhuey's default is Redis
        ({"huey_class": "huey.PostgresHuey"}, ["redis", "gevent"]),
        (
            {"huey_class": "huey.SqliteHuey", "consumer": {"worker_type": "greenlet"}},
            ["redis", "psycopg"],
        ),
        ({"huey_class": "myqueue.MyHuey"}, ["gevent"]),  # a class of one's own: any driver
        (None, []),
    ],
)
def test_huey_is_imported_without_the_drivers_its_queue_does_not_use(huey, unused):
    assert unused_drivers(huey) == unused


def test_a_lazy_hook_imports_its_module_on_the_first_call_and_keeps_its_name(monkeypatch):
    monkeypatch.delitem(sys.modules, "colorsys", raising=False)
    to_hsv = lazy("colorsys.rgb_to_hsv")
    assert "colorsys" not in sys.modules
    assert f"{to_hsv.__module__}.{to_hsv.__qualname__}" == "colorsys.rgb_to_hsv"
    assert to_hsv(1.0, 0.0, 0.0) == (0.0, 1.0, 1.0)
    assert "colorsys" in sys.modules
    # Looked up on each call: a patch in one test does not stay registered after it.
    monkeypatch.setattr("colorsys.rgb_to_hsv", lambda *rgb: "patched")
    assert to_hsv(1.0, 0.0, 0.0) == "patched"
    monkeypatch.undo()
    assert to_hsv(1.0, 0.0, 0.0) == (0.0, 1.0, 1.0)
