from django.apps import AppConfig


class ProtocolsConfig(AppConfig):
    """Crime-specific protocols: per-agency checklists of steps a case's specialist follows."""

    name = "haven.protocols"
    label = "protocols"

    def ready(self):
        # cases asks, without importing us: what starts when a case opens, what is next on a
        # caseload, what is still open when a case closes (cases/hooks.py).
        from haven.cases import hooks
        from haven.protocols import case_hooks

        hooks.register_case_opened("protocols", case_hooks.start_for_new_case)
        hooks.register_next_actions("protocols", case_hooks.next_steps)
        hooks.register_open_items("protocols", case_hooks.open_steps)
