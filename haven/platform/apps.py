from django.apps import AppConfig


class PlatformConfig(AppConfig):
    name = "haven.platform"
    label = "platform"
