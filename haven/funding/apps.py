from django.apps import AppConfig


class FundingConfig(AppConfig):
    name = "haven.funding"
    label = "funding"
