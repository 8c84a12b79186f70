from django.apps import AppConfig


class OutreachConfig(AppConfig):
    name = "haven.outreach"
    label = "outreach"
    verbose_name = "Outreach rules, decisions and queue"

    def ready(self) -> None:
        # The report import and the match review run the outreach rules through the hook
        # incidents offers (incidents/hooks.py), so incidents never imports outreach.
        from haven.incidents import hooks
        from haven.outreach.decisions import Outreach, outreach_after_review

        hooks.register_batch_handler(Outreach, after_review=outreach_after_review)
