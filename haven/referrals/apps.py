from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    """Partner referrals: a specialist refers a victim OUT to a partner's service. An officer's
    referral of a victim from the scene INTO the unit is a scene referral (haven.intake)."""

    name = "haven.referrals"
    label = "referrals"
    verbose_name = "Partner referrals"

    def ready(self):
        from haven.referrals import case_hooks

        case_hooks.register()
