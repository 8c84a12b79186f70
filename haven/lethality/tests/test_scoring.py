"""The LAP scoring rule on every boundary: pure, no database."""

import pytest

from haven.lethality.scoring import OPEN_QUESTION, QUESTIONS, Outcome, score
from haven.lethality.testing import N, U, Y, answers

PROTOCOL, BELIEF, NOT_IN = Outcome.PROTOCOL, Outcome.BELIEF, Outcome.NOT_SCREENED_IN


def other(yes: int, rest: str = N) -> tuple[str, ...]:
    """Questions 4-11 with `yes` yeses first and `rest` for the others."""
    return (Y,) * yes + (rest,) * (8 - yes)


# (why, answers, victim_answered, officer_belief, expected outcome)
TABLE = [
    # One yes to any of questions 1-3 is enough.
    ("yes to 1 only", answers((Y, N, N)), True, False, PROTOCOL),
    ("yes to 2 only", answers((N, Y, N)), True, False, PROTOCOL),
    ("yes to 3 only", answers((N, N, Y)), True, False, PROTOCOL),
    ("yes to all of 1-3", answers((Y, Y, Y)), True, False, PROTOCOL),
    ("yes to 1, the rest not answered", answers((Y, U, U), other(0, U)), True, False, PROTOCOL),
    # No yes in 1-3: four yeses in 4-11 are needed, three are not enough.
    ("no to 1-3, 3 yes in 4-11", answers((N, N, N), other(3)), True, False, NOT_IN),
    ("no to 1-3, 4 yes in 4-11", answers((N, N, N), other(4)), True, False, PROTOCOL),
    ("no to 1-3, 5 yes in 4-11", answers((N, N, N), other(5)), True, False, PROTOCOL),
    ("no to 1-3, all 8 yes in 4-11", answers((N, N, N), other(8)), True, False, PROTOCOL),
    ("no to 1-3, 4 yes at the end", answers((N, N, N), (N,) * 4 + (Y,) * 4), True, False, PROTOCOL),
    # "Not answered" is never a yes.
    ("1-3 not answered, 3 yes", answers((U, U, U), other(3)), True, False, NOT_IN),
    ("1-3 not answered, 4 yes", answers((U, U, U), other(4)), True, False, PROTOCOL),
    ("3 yes and 5 not answered", answers((N, N, N), other(3, U)), True, False, NOT_IN),
    ("nothing answered", answers((U, U, U), other(0, U)), True, False, NOT_IN),
    ("all no", answers(), True, False, NOT_IN),
    # The officer's belief screens in whatever the answers...
    ("belief, all no", answers(), True, True, BELIEF),
    ("belief, 3 yes in 4-11", answers((N, N, N), other(3)), True, True, BELIEF),
    ("belief, nothing answered", answers((U, U, U), other(0, U)), True, True, BELIEF),
    # ...but answers that screen in say so, the belief being recorded beside the outcome.
    ("belief and yes to 2", answers((N, Y, N)), True, True, PROTOCOL),
    ("belief and 4 yes in 4-11", answers((N, N, N), other(4)), True, True, PROTOCOL),
    # The victim declined: no answer counts, only the belief can screen in.
    ("declined", answers((U, U, U), other(0, U)), False, False, NOT_IN),
    ("declined, with the belief", answers((U, U, U), other(0, U)), False, True, BELIEF),
    ("declined, stray yeses ignored", answers((Y, Y, Y), other(8)), False, False, NOT_IN),
]


@pytest.mark.parametrize(
    "answers_given, victim_answered, officer_belief, expected",
    [row[1:] for row in TABLE],
    ids=[row[0] for row in TABLE],
)
def test_the_outcome_follows_the_lap_rule(answers_given, victim_answered, officer_belief, expected):
    result = score(answers_given, victim_answered=victim_answered, officer_belief=officer_belief)

    assert result.outcome == expected
    assert result.screened_in == (expected != NOT_IN)


def test_the_score_counts_yeses_in_each_group_and_keeps_them_apart():
    result = score(answers((Y, U, Y), (Y, N, U, Y, N, N, N, Y)))

    assert (result.yes_in_first_three, result.yes_in_other_eight) == (2, 3)
    assert score(answers((Y, Y, Y), other(8)), victim_answered=False).yes_in_other_eight == 0


@pytest.mark.parametrize("position", range(3, 11), ids=lambda i: f"question {i + 1}")
def test_each_of_questions_4_to_11_counts_toward_the_four(position):
    others = [i for i in range(3, 11) if i != position]
    three = answers()
    for i in (position, others[0], others[1]):
        three[i] = Y
    four = [*three]
    four[others[2]] = Y

    assert score(three).outcome == NOT_IN
    assert score(four).outcome == PROTOCOL


@pytest.mark.parametrize(
    "given",
    [answers()[:10], [*answers(), N], answers((Y, "maybe", N)), answers((N, N, N), other(0, ""))],
    ids=["ten answers", "twelve answers", "an unknown answer", "an empty answer"],
)
def test_anything_but_eleven_known_answers_is_refused(given):
    with pytest.raises(ValueError):
        score(given)


def test_the_questions_are_the_eleven_of_the_lap_form_in_order_with_the_open_question():
    assert len(QUESTIONS) == 11
    assert QUESTIONS[0].startswith("Has he/she ever used a weapon against you")
    assert QUESTIONS[2] == "Do you think he/she might try to kill you?"
    assert QUESTIONS[4] == "Has he/she ever tried to choke (strangle) you?"
    assert QUESTIONS[10].startswith("Does he/she follow or spy on you")
    assert OPEN_QUESTION == "Is there anything else that worries you about your safety?"
