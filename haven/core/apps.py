from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "haven.core"
    label = "core"

    def ready(self):
        from haven.core import auth_audit  # noqa: F401  (connects the sign-in receivers)
