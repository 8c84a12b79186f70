from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "haven.accounts"
    label = "accounts"

    def ready(self):
        from haven.accounts import sign_in_audit  # noqa: F401  (connects the sign-in receivers)
