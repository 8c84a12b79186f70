import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from haven.agencies.roles import Role
from haven.core.models import TenantModel
from haven.core.quick_exit import QUICK_EXIT_DEFAULT
from haven.core.versions import Versioned


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(f"{value!r} is not a time zone name such as America/Chicago.")


def tel_uri(phone: str) -> str:
    """A `tel:` link for a number as people write it: "(800) 799-7233" -> "tel:+18007997233";
    a short code ("988") or a number already with "+" keeps its digits."""
    digits = "".join(c for c in phone if c.isdigit())
    if phone.strip().startswith("+"):
        return f"tel:+{digits}"
    if len(digits) == 10:
        return f"tel:+1{digits}"
    if len(digits) == 11 and digits.startswith("1"):
        return f"tel:+{digits}"
    return f"tel:{digits}"


class Agency(Versioned):
    """The tenant: one victim services unit of one law-enforcement agency."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=60, unique=True)
    time_zone = models.CharField(
        max_length=64, default="America/Chicago", validators=[validate_time_zone]
    )
    # When set, advocates see only the cases assigned to them; supervisors still see all.
    advocates_see_own_caseload_only = models.BooleanField(default=False)
    first_contact_goal_hours = models.PositiveIntegerField(default=24)
    # When set, an advocate's closing of a case waits for a supervisor's review (cases.closure).
    closure_review_required = models.BooleanField(default=False)
    # The unit's number, given to officers and victims when no specialist is on call.
    phone = models.CharField(max_length=32, blank=True)
    # The domestic-violence hotlines an officer calls from the scene (high-danger protocol):
    # the local one the agency works with and the state's. Shown, tap-to-call, on the
    # officer's receipt and the hotline task.
    dv_hotline_name = models.CharField(max_length=100, blank=True)
    dv_hotline_phone = models.CharField(max_length=32, blank=True)
    dv_hotline_hours = models.CharField(max_length=100, blank=True)
    state_hotline_name = models.CharField(max_length=100, blank=True)
    state_hotline_phone = models.CharField(max_length=32, blank=True)
    state_hotline_hours = models.CharField(max_length=100, blank=True)
    # Who takes officer referrals from the scene right now: each is assigned to them and they
    # are alerted (intake.scene_referral). A minimal stand-in for the on-call roster; empty means
    # referrals land in the unassigned queue.
    on_call = models.ForeignKey(
        "agencies.Membership",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # False while the installation's operator has suspended the agency (haven.platform): its
    # sign-ins, API tokens and partner links are refused; its data is kept.
    is_active = models.BooleanField(default=True)
    # The neutral page the quick exit (button and Escape) replaces a public or victim page
    # with; its history entry is replaced too (haven/templates/includes/quick_exit.html).
    quick_exit_url = models.URLField(max_length=500, default=QUICK_EXIT_DEFAULT)
    # Everyone in this agency must use two-step sign-in (besides HAVEN_REQUIRE_TWO_FACTOR for
    # the whole installation); set by its coordinators on the Team page (haven.accounts).
    require_two_factor = models.BooleanField(default=False)
    # Hands out case numbers; incremented with a conditional update (see cases.services).
    last_case_number = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "agencies"

    def __str__(self) -> str:
        return self.name

    @property
    def tz(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    @property
    def hotlines(self) -> list[dict]:
        """The hotlines the agency set, local first: name, number, hours and the `tel:` link."""
        out = []
        for prefix, default in (("dv", "Domestic violence hotline"), ("state", "State hotline")):
            phone = getattr(self, f"{prefix}_hotline_phone")
            if phone:
                out.append(
                    {
                        "name": getattr(self, f"{prefix}_hotline_name") or default,
                        "phone": phone,
                        "hours": getattr(self, f"{prefix}_hotline_hours"),
                        "tel": tel_uri(phone),
                    }
                )
        return out


class District(TenantModel):
    """A police district or beat group; cases and specialists can belong to one."""

    code = models.CharField(max_length=20)
    name = models.CharField(max_length=100)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["agency", "code"], name="district_code_unique")
        ]
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class ServiceHours(TenantModel):
    """When the unit is staffed, per weekday (0 = Monday), in the agency's time zone."""

    weekday = models.PositiveSmallIntegerField(
        choices=[
            (i, d)
            for i, d in enumerate(
                ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
            )
        ]
    )
    opens = models.TimeField()
    closes = models.TimeField()

    class Meta:
        ordering = ["weekday", "opens"]
        verbose_name_plural = "service hours"


class Membership(TenantModel):
    """A user's place in an agency, with exactly one role."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField(max_length=20, choices=Role.choices)
    district = models.ForeignKey(District, null=True, blank=True, on_delete=models.SET_NULL)
    title = models.CharField(max_length=100, blank=True)
    phone = models.CharField(max_length=32, blank=True)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # The language of the member's screens (one of settings.LANGUAGES); empty: English. Chosen
    # on their "Your sign-in" page (docs/translation.md).
    language = models.CharField(max_length=16, blank=True, default="")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agency", "user"], name="membership_unique")]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.user.get_full_name() or self.user.get_username()
