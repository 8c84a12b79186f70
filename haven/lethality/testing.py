"""Builders for tests: answers to screen with, and a recorded screen written directly (the
service's rules are tested through the service)."""

from haven.cases.models import Case
from haven.lethality.models import LethalityScreen, Outcome, ScreenedBy
from haven.lethality.services import ScreenAnswers

Y, N, U = "yes", "no", "not_answered"


def answers(first_three=(N, N, N), other_eight=(N,) * 8) -> list[str]:
    """Questions 1-3 and 4-11, in the form's order; all "no" unless told otherwise."""
    return [*first_three, *other_eight]


# Yes to question 1: screens in by the protocol.
HIGH_DANGER = answers(first_three=(Y, N, N))


def screen_answers(**fields) -> ScreenAnswers:
    """A screen as asked; all "no" (it does not screen in) unless told otherwise."""
    return ScreenAnswers(**({"answers": answers()} | fields))


def make_screen(case: Case, **fields) -> LethalityScreen:
    values = {
        "agency": case.agency,
        "case": case,
        "person": case.primary_victim,
        "screened_by": case.assigned_to,
        "by_role": ScreenedBy.SPECIALIST,
        "q1": Y,
        "worries": "He said he would find me.",
        "outcome": Outcome.PROTOCOL,
    } | fields
    return LethalityScreen.objects.create(**values)
