from django.apps import AppConfig


class AssistanceConfig(AppConfig):
    name = "haven.assistance"
    label = "assistance"

    def ready(self):
        from haven.assistance.services import service_for_disbursement
        from haven.funding import hooks

        # A disbursed emergency assistance request counts as the PMT service C7.
        hooks.on_disbursed("assistance.service_for_disbursement", service_for_disbursement)
