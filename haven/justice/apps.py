from django.apps import AppConfig


class JusticeConfig(AppConfig):
    name = "haven.justice"
    label = "justice"
