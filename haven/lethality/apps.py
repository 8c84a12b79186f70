from django.apps import AppConfig


class LethalityConfig(AppConfig):
    name = "haven.lethality"
    label = "lethality"
