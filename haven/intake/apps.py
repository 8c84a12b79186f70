from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "haven.intake"
    label = "intake"
    verbose_name = "Intake: the specialist's new case and the officer's scene referral"
