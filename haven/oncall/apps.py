from django.apps import AppConfig


class OncallConfig(AppConfig):
    name = "haven.oncall"
    label = "oncall"

    def ready(self) -> None:
        # Case alerts ask the roster who is on call through the hook cases offers
        # (cases/hooks.py), so cases never imports oncall.
        from haven.cases import hooks

        hooks.register_on_call(_on_call_member)


def _on_call_member(agency):
    # Imported on first use: a command that sends no alert does not load the roster.
    from haven.oncall.selectors import on_call_now

    return on_call_now(agency).member
