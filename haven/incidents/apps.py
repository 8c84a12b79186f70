from django.apps import AppConfig


class IncidentsConfig(AppConfig):
    name = "haven.incidents"
    label = "incidents"
