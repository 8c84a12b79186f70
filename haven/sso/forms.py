from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from haven.core.forms import VersionField
from haven.core.middleware import client_ip
from haven.sso.selectors import password_refused_by
from haven.sso.services import password_refusal_record


class SignInForm(AuthenticationForm):
    """Django's sign-in form, refusing a correct password when one of the user's agencies
    signs its people in only through its identity provider (`sso_provider` names it)."""

    sso_provider = None

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        provider = password_refused_by(user)
        if provider is not None:
            self.sso_provider = provider
            password_refusal_record(
                provider=provider,
                username=user.get_username(),
                ip=client_ip(self.request) if self.request is not None else None,
            )
            raise ValidationError(
                gettext(
                    "%(agency)s signs its people in through its own identity provider, "
                    "not with a Haven password."
                ),
                code="sso_required",
                params={"agency": provider.agency.name},
            )


class SsoStartForm(forms.Form):
    entry = forms.CharField(
        label=_("Your work email or your agency's code"),
        max_length=254,
        widget=forms.TextInput(attrs={"autocomplete": "email", "autocapitalize": "none"}),
    )


class SsoSettingsForm(forms.Form):
    issuer = forms.CharField(
        label=_("Issuer"),
        max_length=500,
        help_text=_("From the provider, e.g. https://login.microsoftonline.com/<tenant id>/v2.0"),
    )
    client_id = forms.CharField(label=_("Client (application) id"), max_length=255)
    client_secret = forms.CharField(
        label=_("Client secret"),
        required=False,
        max_length=2000,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
    )
    email_domains = forms.CharField(
        label=_("Email domains (comma-separated)"), required=False, max_length=500
    )
    enabled = forms.BooleanField(label=_("Sign-in through this provider is on"), required=False)
    allow_local_passwords = forms.BooleanField(
        label=_("Members may also sign in with a Haven password"), required=False
    )
    version = VersionField()
