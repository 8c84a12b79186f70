from django.apps import AppConfig


class NoticesConfig(AppConfig):
    name = "haven.notices"
    label = "notices"
