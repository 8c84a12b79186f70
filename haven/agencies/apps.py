from django.apps import AppConfig


class AgenciesConfig(AppConfig):
    name = "haven.agencies"
    label = "agencies"
