from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "haven.reports"
    label = "reports"

    def ready(self):
        from haven.cases import hooks
        from haven.cases.signals import case_closed
        from haven.reports import receivers
        from haven.reports.figures import goals_for

        hooks.register_resolution_goal(lambda agency: goals_for(agency).resolution_days)

        case_closed.connect(receivers.offer_closure_survey, dispatch_uid="reports.closure_survey")
