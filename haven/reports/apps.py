from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "haven.reports"
    label = "reports"

    def ready(self):
        from haven.cases import hooks
        from haven.cases.signals import case_closed
        from haven.reports import receivers

        hooks.register_resolution_goal(_resolution_days)

        case_closed.connect(receivers.offer_closure_survey, dispatch_uid="reports.closure_survey")


def _resolution_days(agency):
    # Imported on first use: a command that never closes a case does not load the figures.
    from haven.reports.figures import goals_for

    return goals_for(agency).resolution_days
