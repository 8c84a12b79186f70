from django.apps import AppConfig

from haven.lib.startup import freeze_and_resume, pause_collection


class CoreConfig(AppConfig):
    name = "haven.core"
    label = "core"

    def __init__(self, app_name, app_module):
        super().__init__(app_name, app_module)
        # Django creates every app's config before it imports any model: the collector waits
        # until they all are (haven/lib/startup.py).
        pause_collection()

    def ready(self):
        # Every app's models are imported before the first ready() runs.
        freeze_and_resume()
