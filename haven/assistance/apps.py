from django.apps import AppConfig


class AssistanceConfig(AppConfig):
    name = "haven.assistance"
    label = "assistance"

    def ready(self):
        from haven.funding import hooks
        from haven.lib.lazy import lazy

        # A disbursed emergency assistance request counts as the PMT service C7.
        hooks.on_disbursed(
            "assistance.service_for_disbursement",
            lazy("haven.assistance.services.service_for_disbursement"),
        )
