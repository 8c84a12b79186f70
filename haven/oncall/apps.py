from django.apps import AppConfig


class OncallConfig(AppConfig):
    name = "haven.oncall"
    label = "oncall"
