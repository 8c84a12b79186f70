"""Writes of the ops app: the worker's heartbeat."""

import socket

from django.utils import timezone

from haven.ops.models import WorkerHeartbeat


def worker_heartbeat_record(*, host: str | None = None) -> WorkerHeartbeat:
    """Record that a worker on this host is alive and running its periodic tasks now."""
    beat, _ = WorkerHeartbeat.objects.update_or_create(
        host=host or socket.gethostname(), defaults={"beat_at": timezone.now()}
    )
    return beat
