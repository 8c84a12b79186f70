from django.apps import AppConfig


class OutreachConfig(AppConfig):
    name = "haven.outreach"
    label = "outreach"
    verbose_name = "Outreach rules, decisions and queue"

    def ready(self) -> None:
        # The report import and the match review run the outreach rules through the hook
        # incidents offers (incidents/hooks.py), so incidents never imports outreach.
        # Imported on first use, not here: decisions brings the import mapper and the case
        # services, which a command that imports nothing should not load (haven/lib/lazy.py).
        from haven.incidents import hooks
        from haven.lib.lazy import lazy

        hooks.register_batch_handler(
            lazy("haven.outreach.decisions.Outreach"),
            after_review=lazy("haven.outreach.decisions.outreach_after_review"),
        )
