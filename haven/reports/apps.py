from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "haven.reports"
    label = "reports"
