from django.apps import AppConfig


class ProtocolsConfig(AppConfig):
    """Crime-specific protocols: per-agency checklists of steps a case's specialist follows."""

    name = "haven.protocols"
    label = "protocols"

    def ready(self):
        # cases asks, without importing us: what starts when a case opens, what is next on a
        # caseload, what is still open when a case closes (cases/hooks.py).
        # Imported on first use (haven/lib/lazy.py): case_hooks brings the protocol services.
        from haven.cases import hooks
        from haven.lib.lazy import lazy

        steps = "haven.protocols.case_hooks"
        hooks.register_case_opened(
            "protocols",
            lazy(f"{steps}.start_for_new_case"),
            batch=lazy("haven.protocols.batch.start_for_victimizations_many"),
        )
        hooks.register_next_actions("protocols", lazy(f"{steps}.next_steps"))
        hooks.register_open_items("protocols", lazy(f"{steps}.open_steps"))
