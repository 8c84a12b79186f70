from django.apps import AppConfig, apps
from django.utils.module_loading import import_string


class RetentionConfig(AppConfig):
    name = "haven.retention"
    label = "retention"

    def ready(self):
        from haven.retention.hooks import KNOWN_PURGERS, register_purger

        for app, dotted in KNOWN_PURGERS:
            if apps.is_installed(app):
                register_purger(import_string(dotted))
