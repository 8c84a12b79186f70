"""Reads of lethality screens. A screen is part of its case's record: whoever may read the case
(cases_visible_to) may read its screens, and nobody else."""

from haven.cases.models import Case
from haven.lethality.models import LethalityScreen, ScreenedBy


def case_screens(case: Case) -> list[LethalityScreen]:
    """The case's screens, newest first, with who asked them; for a page that has already
    checked (and audited) that the reader may read the case."""
    return list(
        LethalityScreen.objects.filter(case=case, agency=case.agency).select_related(
            "screened_by__user", "person", "hotline_task"
        )
    )


def referral_screen(case: Case) -> LethalityScreen | None:
    """The screen the referring officer recorded with this case, if any: its outcome is all the
    officer's receipt says of it."""
    return (
        LethalityScreen.objects.filter(
            case=case, agency=case.agency, screened_by=case.created_by, by_role=ScreenedBy.OFFICER
        )
        .order_by("screened_at", "id")
        .first()
    )
