from django.apps import AppConfig


class CompensationConfig(AppConfig):
    name = "haven.compensation"
    label = "compensation"
