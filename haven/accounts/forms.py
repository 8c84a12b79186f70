"""Forms only parse input; the rules live in services.py (and Django's password validators)."""

import logging
import smtplib

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.contrib.auth.forms import SetPasswordForm as DjangoSetPasswordForm
from django.core.mail import EmailMultiAlternatives
from django.template import loader
from django.utils.translation import gettext_lazy as _

from haven.accounts.selectors import sign_in_refusal
from haven.agencies.models import District
from haven.agencies.roles import Role
from haven.sso.forms import SignInForm as SsoSignInForm

logger = logging.getLogger(__name__)


class SignInForm(SsoSignInForm):
    """Django's sign-in form (with single sign-on's refusal of passwords where an agency turned
    them off), which also refuses a deactivated member or a suspended agency with a sentence
    saying so (after the password was right, so it tells a guesser nothing)."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "That user name and password do not match. After several failed "
        "tries the account is locked for a while.",
    }

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        refusal = sign_in_refusal(user)
        if refusal:
            self.refused_user = user
            raise forms.ValidationError(refusal, code="refused")


class InvitationPasswordForm(DjangoSetPasswordForm):
    """Choose a password (twice); Django's validators apply the NIST rules."""


class HavenPasswordResetForm(PasswordResetForm):
    """Django's reset form, sending only to people who may sign in (an active membership in an
    agency that is not suspended, or an operator)."""

    # Set when the mail server refused or did not answer (Django's own send_mail only logs
    # it, and the person would be told a mail is on its way): the page says so instead.
    mail_failed = False

    def get_users(self, email):
        return [u for u in super().get_users(email) if not sign_in_refusal(u)]

    def send_mail(
        self, subject_template_name, email_template_name, context, from_email, to, **html
    ):  # Haven's mail is plain text: no HTML template
        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        body = loader.render_to_string(email_template_name, context)
        try:
            EmailMultiAlternatives(subject, body, from_email, [to]).send()
        except (smtplib.SMTPException, OSError) as exc:
            logger.warning("Password reset mail to user %s not sent: %s", context["user"].pk, exc)
            self.mail_failed = True


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("Email address"), max_length=254)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, initial=Role.ADVOCATE)
    district = forms.ModelChoiceField(
        label=_("District served"), queryset=District.objects.none(), required=False
    )

    def __init__(self, *args, districts=None, **kwargs):
        super().__init__(*args, **kwargs)
        if districts is not None:
            self.fields["district"].queryset = districts


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)


class DeactivateForm(forms.Form):
    cases_to = forms.ModelChoiceField(
        label=_("Their open cases go to"),
        queryset=None,
        required=False,
        empty_label=_("The unassigned queue"),
    )

    def __init__(self, *args, colleagues, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cases_to"].queryset = colleagues
        self.fields["cases_to"].label_from_instance = lambda m: m.display_name


class PasswordConfirmForm(forms.Form):
    password = forms.CharField(
        label=_("Your own password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class TwoFactorRequireForm(forms.Form):
    required = forms.BooleanField(
        label=_("Everyone in this agency must use two-step sign-in"), required=False
    )


class LanguageForm(forms.Form):
    """The language of the member's own screens: English or a language with a catalogue."""

    language = forms.ChoiceField(label=_("Language of your screens"), choices=())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = settings.LANGUAGES
