from django.apps import AppConfig


class ProgramConfig(AppConfig):
    name = "haven.program"
    label = "program"
    verbose_name = "The program beyond cases"
