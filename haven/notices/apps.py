from django.apps import AppConfig


class NoticesConfig(AppConfig):
    name = "haven.notices"
    label = "notices"

    def ready(self):
        from haven.audit.reads import register_read_objects
        from haven.cases import hooks
        from haven.cases.signals import case_assigned, investigation_status_changed
        from haven.lib.lazy import lazy

        # receivers imports the services it calls on first use (haven/lib/lazy.py).
        from haven.notices import (
            checks,  # noqa: F401 (registers the deploy check)
            receivers,
        )

        hooks.register_staff_alerts(lazy("haven.notices.staff_alerts.staff_alert_queue"))
        register_read_objects("notices", receivers.messages_about)

        case_assigned.connect(
            receivers.tell_victim_of_specialist, dispatch_uid="notices.specialist_assigned"
        )
        investigation_status_changed.connect(
            receivers.tell_victim_of_investigation, dispatch_uid="notices.investigation_status"
        )
