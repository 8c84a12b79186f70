import phonenumbers
from django.core.exceptions import ValidationError


def normalize_phone(raw: str, region: str = "US") -> str:
    """The number in E.164 (+13125550100), or a ValidationError that says what to fix."""
    try:
        number = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException:
        raise ValidationError(f"{raw!r} is not a phone number. Include the area code.") from None
    if not phonenumbers.is_valid_number(number):
        raise ValidationError(
            f"{raw!r} is not a valid phone number. Check the digits and the area code."
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def display_phone(e164: str) -> str:
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
