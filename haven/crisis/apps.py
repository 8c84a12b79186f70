from django.apps import AppConfig


class CrisisConfig(AppConfig):
    name = "haven.crisis"
    label = "crisis"
