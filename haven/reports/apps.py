from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "haven.reports"
    label = "reports"

    def ready(self):
        from haven.cases.signals import case_closed
        from haven.reports import receivers

        case_closed.connect(receivers.offer_closure_survey, dispatch_uid="reports.closure_survey")
