"""Password rules after NIST SP 800-63B (section 5.1.1.2): a minimum length (settings: 12), no
composition rules, and a refusal of common passwords (Django's list) and of context-specific
ones: the user's own names (Django's similarity check) and, here, the service's name."""

import re

from django.core.exceptions import ValidationError

CONTEXT_WORDS = ("haven", "victimservices", "victimservice")


class ContextWordsValidator:
    """Refuses a password that is built on the service's name ("Haven2026!haven")."""

    def validate(self, password, user=None):
        letters = re.sub(r"[^a-z]", "", password.lower())
        for word in CONTEXT_WORDS:
            if word in letters:
                raise ValidationError(
                    f"Don't build your password on “{word}”: it is the first thing a guesser "
                    "tries here. A few unrelated words make a strong one.",
                    code="password_context_word",
                )

    def get_help_text(self):
        return "It must not be built on the name of this service."
