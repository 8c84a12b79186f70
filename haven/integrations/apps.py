from django.apps import AppConfig


class IntegrationsConfig(AppConfig):
    name = "haven.integrations"
    label = "integrations"
