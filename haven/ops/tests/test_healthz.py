"""/healthz: 200 when the database, the task queue and a worker are fine; 503 naming what is
not; open to a load balancer without signing in, and it tells nothing about any agency."""

import importlib
from datetime import UTC, datetime, timedelta

import huey.storage
import pytest
import time_machine
from django.db import OperationalError
from huey import RedisHuey

from haven.ops import health
from haven.ops.models import WorkerHeartbeat
from haven.ops.services import worker_heartbeat_record
from haven.ops.tasks import worker_heartbeat

NOW = datetime(2026, 12, 4, 15, 0, tzinfo=UTC)


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def beating(db, clock):
    worker_heartbeat()  # the periodic task itself (tasks run at once in tests)
    return WorkerHeartbeat.objects.get()


def test_it_answers_200_when_everything_is_fine_without_signing_in(client, beating):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "queue": "ok", "worker": "ok"},
    }
    assert "no-cache" in response["Cache-Control"]
    assert not response.cookies  # no session, no CSRF cookie


def test_the_heartbeat_task_writes_one_row_per_host(db, clock):
    worker_heartbeat()
    clock.shift(timedelta(minutes=1))
    worker_heartbeat()

    [beat] = WorkerHeartbeat.objects.all()
    assert beat.beat_at == NOW + timedelta(minutes=1)
    worker_heartbeat_record(host="worker-2")
    assert WorkerHeartbeat.objects.count() == 2


def test_a_worker_that_stopped_beating_is_named(client, beating, clock, settings):
    settings.HEARTBEAT_MAX_SECONDS = 180
    clock.shift(timedelta(seconds=181))

    response = client.get("/healthz")

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "failing"
    assert body["failing"] == ["worker"]
    assert body["checks"]["worker"] == "last heartbeat 181 seconds ago"
    assert body["checks"]["database"] == body["checks"]["queue"] == "ok"


def test_a_worker_that_never_started_is_named(client, db, clock):
    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["failing"] == ["worker"]
    assert response.json()["checks"]["worker"].startswith("no heartbeat yet")


def test_any_recent_worker_is_enough(client, beating, clock):
    clock.shift(timedelta(minutes=10))
    worker_heartbeat_record(host="second-worker")

    assert client.get("/healthz").status_code == 200


def test_an_unreachable_queue_is_named(client, beating, monkeypatch):
    # A Redis queue on a port where nothing listens, as when Redis is down. The test settings
    # queue on SQLite, so huey was imported without its redis driver (haven/core/huey_app.py).
    redis = importlib.import_module("redis")
    for name in ("ConnectionPool", "Redis"):
        monkeypatch.setattr(huey.storage, name, getattr(redis, name))
    for name in ("ConnectionError", "TimeoutError"):
        monkeypatch.setattr(huey.storage, name, getattr(redis.exceptions, name))
    monkeypatch.setattr(huey.storage.RedisStorage, "redis_client", redis.Redis)
    monkeypatch.setattr(health, "HUEY", RedisHuey("haven", url="redis://127.0.0.1:9/0"))

    response = client.get("/healthz")

    assert response.status_code == 503
    body = response.json()
    assert body["failing"] == ["queue"]
    assert body["checks"]["queue"] == "unreachable (ConnectionError)"
    assert body["checks"]["worker"] == "ok"


def test_an_unreachable_database_is_named_and_the_worker_not_blamed(client, beating, monkeypatch):
    class DownConnection:
        def cursor(self):
            raise OperationalError("could not connect to server")

    monkeypatch.setattr(health, "connection", DownConnection())

    response = client.get("/healthz")

    assert response.status_code == 503
    body = response.json()
    assert body["failing"] == ["database", "worker"]
    assert body["checks"]["database"] == "unreachable (OperationalError)"
    assert body["checks"]["worker"] == "not checked: the database is down"
    assert "could not connect" not in response.content.decode()  # no internals either


def test_it_says_nothing_about_any_agency_even_to_a_signed_in_user(client_as, cast, beating):
    response = client_as("coordinator").get("/healthz")

    assert response.status_code == 200
    text = response.content.decode()
    assert cast.agency_a.name not in text and cast.agency_a.slug not in text
    assert set(response.json()) == {"status", "checks"}


def test_only_get_and_head_are_answered(client, beating):
    assert client.head("/healthz").status_code == 200  # some load balancers probe with HEAD
    assert client.post("/healthz").status_code == 405
    assert WorkerHeartbeat.objects.count() == 1


def test_it_is_not_redirected_to_https(client, beating, settings):
    settings.SECURE_SSL_REDIRECT = True

    assert client.get("/healthz").status_code == 200
    assert client.get("/accounts/login/").status_code == 301
