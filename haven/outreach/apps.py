from django.apps import AppConfig


class OutreachConfig(AppConfig):
    name = "haven.outreach"
    label = "outreach"
    verbose_name = "Outreach rules, decisions and queue"
