from django.db import models


class WorkerHeartbeat(models.Model):
    """The last time a background worker on this host ran its every-minute heartbeat task.

    Not tenant data: one row per worker host, read by /healthz."""

    host = models.CharField(max_length=255, unique=True)
    beat_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.host} at {self.beat_at:%Y-%m-%d %H:%M:%S}"
