"""The Lethality Assessment Program's screen for first responders: its questions and its scoring
rule, as a pure function (no Django), so the rule can be read and tested on its own.

Source: the Maryland Network Against Domestic Violence's Lethality Assessment Program (LAP), the
screen as reproduced on a police department's public form (Draper, Utah Police, "Lethality
Assessment Screen"); the project's copy is haven/reference/lethality-screen.md. The
questions, their order and the rule below follow that form word for word.

The rule. The screen "screens in" (high danger: the protocol starts) when
- the victim says yes to any of questions 1-3, or
- says yes to none of 1-3 but to at least four of questions 4-11, or
- whatever the answers, also when the victim would not answer, the officer believes the victim
  is in a potentially lethal situation (the officer's belief).
"Not answered" is never a yes. When the answers screen in, the outcome says "by the protocol"
even if the officer also believed it: the belief is kept beside the outcome, not instead of it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

QUESTIONS: tuple[str, ...] = (
    "Has he/she ever used a weapon against you or threatened you with a weapon?",
    "Has he/she threatened to kill you or your children?",
    "Do you think he/she might try to kill you?",
    "Does he/she have a gun or can he/she get one easily?",
    "Has he/she ever tried to choke (strangle) you?",
    "Is he/she violently or constantly jealous, or does he/she control most of your daily "
    "activities?",
    "Have you left him/her or separated after living together or being married?",
    "Is he/she unemployed?",
    "Has he/she ever tried to kill himself/herself?",
    "Do you have a child that he/she knows is not his/hers?",
    "Does he/she follow or spy on you or leave you threatening messages?",
)
# Asked after the eleven; its answer may lead the officer to screen in on their belief.
OPEN_QUESTION = "Is there anything else that worries you about your safety?"

# Questions 1-3 (indexes 0-2): one yes screens in. Questions 4-11: four yeses do.
FIRST_THREE = range(0, 3)
OTHER_EIGHT = range(3, 11)
YES_NEEDED_IN_OTHER_EIGHT = 4


class Answer(StrEnum):
    YES = "yes"
    NO = "no"
    NOT_ANSWERED = "not_answered"


class Outcome(StrEnum):
    # Yes to any of 1-3, or to four or more of 4-11.
    PROTOCOL = "protocol"
    # The answers did not screen in (or the victim did not answer), the officer believed so.
    BELIEF = "belief"
    NOT_SCREENED_IN = "not_screened_in"


_ANSWER_VALUES = frozenset(a.value for a in Answer)

ANSWER_LABELS = {
    Answer.YES: "Yes",
    Answer.NO: "No",
    Answer.NOT_ANSWERED: "Not answered",
}
OUTCOME_LABELS = {
    Outcome.PROTOCOL: "Screened in by the protocol",
    Outcome.BELIEF: "Screened in by the officer's belief",
    Outcome.NOT_SCREENED_IN: "Did not screen in",
}
SCREENED_IN = frozenset({Outcome.PROTOCOL, Outcome.BELIEF})


@dataclass(frozen=True)
class Score:
    outcome: Outcome
    yes_in_first_three: int
    yes_in_other_eight: int

    @property
    def screened_in(self) -> bool:
        return self.outcome in SCREENED_IN


def score(
    answers: Sequence[str], *, victim_answered: bool = True, officer_belief: bool = False
) -> Score:
    """The outcome of one screen. `answers` are the eleven answers in the form's order, each
    "yes", "no" or "not_answered". When the victim declined to answer, no answer counts (the
    caller keeps them all "not_answered") and only the officer's belief can screen in.

    Raises ValueError for anything but eleven known answers.
    """
    if len(answers) != len(QUESTIONS):
        raise ValueError(f"A screen has {len(QUESTIONS)} answers, not {len(answers)}.")
    unknown = [a for a in answers if a not in _ANSWER_VALUES]
    if unknown:
        raise ValueError(f"Unknown answers: {unknown!r}.")
    counted = answers if victim_answered else [Answer.NOT_ANSWERED] * len(QUESTIONS)
    first = sum(1 for i in FIRST_THREE if counted[i] == Answer.YES)
    other = sum(1 for i in OTHER_EIGHT if counted[i] == Answer.YES)
    if first >= 1 or other >= YES_NEEDED_IN_OTHER_EIGHT:
        outcome = Outcome.PROTOCOL
    elif officer_belief:
        outcome = Outcome.BELIEF
    else:
        outcome = Outcome.NOT_SCREENED_IN
    return Score(outcome=outcome, yes_in_first_three=first, yes_in_other_eight=other)
