from cryptography.fernet import Fernet
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Print a new key for HAVEN_FIELD_KEYS (field encryption at rest)."

    def handle(self, *args, **options):
        # The key alone on stdout, so `KEY=$(manage.py generate_field_key)` works; the hint on
        # stderr. The key is printed, never stored: the operator puts it in the secret store.
        self.stdout.write(Fernet.generate_key().decode())
        self.stderr.write(
            "To rotate: put it first in HAVEN_FIELD_KEYS (new,old), restart every process, "
            "run `manage.py rotate_field_keys`, then remove the old key (docs/security.md)."
        )
