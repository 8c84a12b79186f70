from django.apps import AppConfig


class PartnersConfig(AppConfig):
    name = "haven.partners"
    label = "partners"
