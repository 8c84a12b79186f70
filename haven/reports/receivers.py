"""What reports does when lower apps publish an event (connected in apps.ReportsConfig.ready)."""


def offer_closure_survey(sender, *, case_id: int, **facts) -> None:
    """cases.case_closed: offer the victim the closure survey."""
    # Imported on first call: every process imports this module (apps.ReportsConfig.ready).
    from haven.reports.services import survey_on_case_closed

    survey_on_case_closed(case_id)
