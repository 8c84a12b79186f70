from django.apps import AppConfig


class PublicConfig(AppConfig):
    name = "haven.public"
    verbose_name = "Public help pages"
