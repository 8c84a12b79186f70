from contextlib import contextmanager

import pytest
from django.db import transaction


@pytest.fixture(scope="session")
def built_once(django_db_setup, django_db_blocker):
    """`with built_once(): ...` in a module- or class-scoped fixture: the demo is built once for
    the tests that read it, each of which still runs in its own savepoint (what a test changes
    is rolled back after it), and the whole build is rolled back when the last of them is done,
    so no other test in the process sees it. Only for tests without `transaction=True`."""

    @contextmanager
    def kept_until_the_last_test():
        with django_db_blocker.unblock(), transaction.atomic():
            try:
                yield
            finally:
                transaction.set_rollback(True)

    return kept_until_the_last_test
