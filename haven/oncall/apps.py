from django.apps import AppConfig


class OncallConfig(AppConfig):
    name = "haven.oncall"
    label = "oncall"

    def ready(self) -> None:
        # Case alerts ask the roster who is on call through the hook cases offers
        # (cases/hooks.py), so cases never imports oncall.
        from haven.cases import hooks
        from haven.oncall.selectors import on_call_now

        hooks.register_on_call(lambda agency: on_call_now(agency).member)
