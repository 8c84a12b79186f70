from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from haven.core.models import TenantModel
from haven.core.versions import Versioned
from haven.lib.crypto import EncryptedDateField, EncryptedTextField
from haven.lib.reference import choices

# The languages Haven speaks to victims in first; any other is kept as its ISO 639-1 code.
LANGUAGES = [
    ("en", "English"),
    ("es", "Spanish"),
    ("pl", "Polish"),
    ("zh", "Chinese"),
    ("ar", "Arabic"),
    ("vi", "Vietnamese"),
    ("ko", "Korean"),
    ("ru", "Russian"),
    ("tl", "Tagalog"),
    ("fr", "French"),
    ("ht", "Haitian Creole"),
    ("uk", "Ukrainian"),
]


class Person(TenantModel, Versioned):
    """Someone Haven knows of: a victim, a family member, a witness, a defendant.

    Names and date of birth are encrypted at rest, like everything that would reach or locate
    the person (contact points): the database compares them only through the blind indexes
    below (people.indexes), so nothing filters, orders or groups on them in SQL.
    """

    first_name = EncryptedTextField(max_length=100)
    middle_name = EncryptedTextField(max_length=100, blank=True)
    last_name = EncryptedTextField(max_length=100)
    preferred_name = EncryptedTextField(max_length=100, blank=True)
    pronouns = models.CharField(max_length=40, blank=True)
    date_of_birth = EncryptedDateField(null=True, blank=True)
    # When the birth date is unknown but an age was given (e.g. by the records system).
    age_reported = models.PositiveSmallIntegerField(null=True, blank=True)
    # When only an age range is known (an open-data export's "25-44"): its PMT age band. Blank
    # when a birth date or an age is known, or the range crosses a band.
    age_band = models.CharField(max_length=10, blank=True, choices=choices("pmt", "age_bands"))
    preferred_language = models.CharField(max_length=8, default="en", choices=LANGUAGES)
    interpreter_needed = models.BooleanField(default=False)
    # Demographics in the OVC PMT categories (haven/reference/pmt.json).
    race_ethnicity = models.CharField(
        max_length=30, choices=choices("pmt", "race_ethnicity"), default="not_reported"
    )
    gender_identity = models.CharField(
        max_length=30, choices=choices("pmt", "gender_identity"), default="not_reported"
    )
    special_classifications = models.JSONField(default=list, blank=True)
    # Blind indexes (people.indexes) for exact look-up: normalized name + birth date, first +
    # last name, last name; and the last name's sound, for the import's similar-name candidates.
    name_dob_index = models.CharField(max_length=64, blank=True, db_index=True)
    name_index = models.CharField(max_length=64, blank=True, db_index=True)
    last_name_index = models.CharField(max_length=64, blank=True, db_index=True)
    sounds_like_index = models.CharField(max_length=64, blank=True, db_index=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        first = self.preferred_name or self.first_name
        return " ".join(part for part in (first, self.last_name) if part)


class PersonAlias(TenantModel):
    """Another name the person is known by (maiden name, nickname, a misspelling in a report)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="aliases")
    first_name = EncryptedTextField(max_length=100, blank=True)
    last_name = EncryptedTextField(max_length=100)
    # Blind indexes (people.indexes.alias_indexes): a search by name finds the person by alias.
    name_index = models.CharField(max_length=64, blank=True, db_index=True)
    last_name_index = models.CharField(max_length=64, blank=True, db_index=True)

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


class ContactKind(models.TextChoices):
    PHONE = "phone", _("Phone")
    EMAIL = "email", _("Email")
    ADDRESS = "address", _("Postal address")


class ContactPoint(TenantModel):
    """A way to reach the person, with the rules that keep reaching them safe.

    Every "ok" flag defaults to no: a voicemail or a text the abuser may see is only left
    when the victim has said it is safe.
    """

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="contact_points")
    kind = models.CharField(max_length=10, choices=ContactKind.choices)
    label = models.CharField(max_length=40, blank=True)  # mobile, home, work, a friend's phone
    # Phone in E.164, email as given, address as lines; encrypted at rest.
    value = EncryptedTextField()
    # Blind index of the normalized phone or email ("" for addresses).
    value_index = models.CharField(max_length=64, blank=True, db_index=True)
    is_primary = models.BooleanField(default=False)
    ok_to_contact = models.BooleanField(default=True)
    ok_voicemail = models.BooleanField("OK to leave a voicemail", default=False)
    ok_text = models.BooleanField("OK to text", default=False)
    ok_mail = models.BooleanField("OK to send mail or email", default=False)
    # Hours (agency time zone) when it is safe to call; both empty means any time.
    safe_from = models.TimeField(null=True, blank=True)
    safe_until = models.TimeField(null=True, blank=True)
    safety_note = EncryptedTextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-is_primary", "kind", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.label or 'unlabelled'})"
