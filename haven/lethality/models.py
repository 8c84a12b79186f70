from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from haven.core.models import TenantModel
from haven.lethality import scoring
from haven.lib.crypto import EncryptedTextField


class Answer(models.TextChoices):
    YES = scoring.Answer.YES.value, scoring.ANSWER_LABELS[scoring.Answer.YES]
    NO = scoring.Answer.NO.value, scoring.ANSWER_LABELS[scoring.Answer.NO]
    # Skipped, or the victim declined the whole screen: never counts as a yes.
    NOT_ANSWERED = (
        scoring.Answer.NOT_ANSWERED.value,
        scoring.ANSWER_LABELS[scoring.Answer.NOT_ANSWERED],
    )


class Outcome(models.TextChoices):
    # Yes to any of questions 1-3, or to four or more of 4-11: high danger.
    PROTOCOL = scoring.Outcome.PROTOCOL.value, scoring.OUTCOME_LABELS[scoring.Outcome.PROTOCOL]
    # The answers did not screen in, the officer (or specialist) believed the danger: high danger.
    BELIEF = scoring.Outcome.BELIEF.value, scoring.OUTCOME_LABELS[scoring.Outcome.BELIEF]
    # Neither: the case goes on as it was.
    NOT_SCREENED_IN = (
        scoring.Outcome.NOT_SCREENED_IN.value,
        scoring.OUTCOME_LABELS[scoring.Outcome.NOT_SCREENED_IN],
    )


class ScreenedBy(models.TextChoices):
    # Asked at the scene by the referring officer (the referral form).
    OFFICER = "officer", _("Officer at the scene")
    # Asked by a victim specialist (the case page).
    SPECIALIST = "specialist", _("Victim specialist")


class SpokeWithHotline(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")
    # Not known yet: the follow-up task asks the specialist to find out.
    UNKNOWN = "unknown", _("Not known")


ANSWER_FIELDS = tuple(f"q{n}" for n in range(1, len(scoring.QUESTIONS) + 1))
# The only fields that change after a screen is recorded (lethality_hotline_record).
HOTLINE_FIELDS = (
    "hotline_called",
    "victim_spoke_with_hotline",
    "reason_not_spoke",
    "hotline_updated_at",
    "hotline_updated_by",
)


def _answer_field(number: int) -> models.CharField:
    return models.CharField(
        max_length=12,
        choices=Answer.choices,
        default=Answer.NOT_ANSWERED,
        verbose_name=scoring.QUESTIONS[number - 1],
    )


class LethalityScreen(TenantModel):
    """One LAP lethality screen of a victim on a case: every raw answer as given, and the
    outcome derived from them by scoring.py when it was recorded, kept apart.

    Never edited once recorded, except its hotline follow-up (lethality_hotline_record); a
    later screen is a new row.
    """

    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="lethality_screens"
    )
    # Who was screened: the case's primary victim unless the service was told otherwise.
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    screened_by = models.ForeignKey(
        "agencies.Membership", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    screened_at = models.DateTimeField(default=timezone.now)
    by_role = models.CharField(max_length=12, choices=ScreenedBy.choices)
    # False when the victim declined to answer: then every answer is "not answered".
    victim_answered = models.BooleanField(default=True)
    q1 = _answer_field(1)
    q2 = _answer_field(2)
    q3 = _answer_field(3)
    q4 = _answer_field(4)
    q5 = _answer_field(5)
    q6 = _answer_field(6)
    q7 = _answer_field(7)
    q8 = _answer_field(8)
    q9 = _answer_field(9)
    q10 = _answer_field(10)
    q11 = _answer_field(11)
    # The open question's answer, in the victim's words: encrypted like a note.
    worries = EncryptedTextField(blank=True, verbose_name=scoring.OPEN_QUESTION)
    officer_belief = models.BooleanField(default=False)
    # Derived by scoring.score from the answers and the belief when the screen was recorded.
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    # The protocol's follow-up: the hotline was called, the victim spoke with them (or why not).
    hotline_called = models.BooleanField(default=False)
    victim_spoke_with_hotline = models.CharField(
        max_length=10, choices=SpokeWithHotline.choices, default=SpokeWithHotline.UNKNOWN
    )
    reason_not_spoke = EncryptedTextField(blank=True)
    hotline_updated_at = models.DateTimeField(null=True, blank=True)
    hotline_updated_by = models.ForeignKey(
        "agencies.Membership", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # "Connect the victim with the domestic violence hotline", opened when the screen screened
    # in and the victim had not yet spoken with the hotline.
    hotline_task = models.ForeignKey(
        "cases.Task", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-screened_at", "-id"]
        indexes = [models.Index(fields=["case", "screened_at"])]

    def __str__(self) -> str:
        return f"Lethality screen {self.pk} on case {self.case_id}"

    @property
    def answers(self) -> list[str]:
        return [getattr(self, name) for name in ANSWER_FIELDS]

    @property
    def screened_in(self) -> bool:
        return self.outcome in scoring.SCREENED_IN

    def questions_and_answers(self) -> list[tuple[int, str, str]]:
        """(number, question, answer label) for the eleven, in the form's order."""
        return [
            (number, question, Answer(answer).label)
            for number, (question, answer) in enumerate(
                zip(scoring.QUESTIONS, self.answers, strict=True), start=1
            )
        ]
