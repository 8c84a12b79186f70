from django.apps import AppConfig, apps


class RetentionConfig(AppConfig):
    name = "haven.retention"
    label = "retention"

    def ready(self):
        from haven.lib.lazy import lazy
        from haven.retention.hooks import KNOWN_PURGERS, register_purger

        for app, dotted in KNOWN_PURGERS:
            if apps.is_installed(app):
                register_purger(lazy(dotted))  # imported on the first purge
