from django.apps import AppConfig


class PublicConfig(AppConfig):
    name = "haven.public"
    verbose_name = "Public help pages"

    def ready(self):
        from haven.intake.hooks import register_public_facts
        from haven.public.selectors import card_facts

        # The officer's card sent as a text links to this page (haven/intake/card_text.py).
        register_public_facts(card_facts)
