from django.apps import AppConfig


class OpsConfig(AppConfig):
    """Running Haven: the health check, the worker's heartbeat, backup and restore."""

    name = "haven.ops"
    label = "ops"
