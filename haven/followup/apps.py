from django.apps import AppConfig


class FollowupConfig(AppConfig):
    name = "haven.followup"
    label = "followup"

    def ready(self):
        from haven.followup import case_hooks

        case_hooks.register()
