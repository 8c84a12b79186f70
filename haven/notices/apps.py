from django.apps import AppConfig


class NoticesConfig(AppConfig):
    name = "haven.notices"
    label = "notices"

    def ready(self):
        from haven.cases.signals import case_assigned
        from haven.notices import receivers

        case_assigned.connect(
            receivers.tell_victim_of_specialist, dispatch_uid="notices.specialist_assigned"
        )
