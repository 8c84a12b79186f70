from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "haven.cases"
    label = "cases"

    def ready(self):
        from haven.cases import hooks
        from haven.lib.lazy import lazy

        # A case's own open tasks, next to what the apps above add (closing.py), imported on
        # first use: the case services are not loaded by a command that never needs them.
        hooks.register_next_actions("cases.tasks", lazy("haven.cases.closing.task_next_actions"))
        hooks.register_open_items("cases.tasks", lazy("haven.cases.closing.task_open_items"))
