import pytest
from django.conf import settings
from django_scopes import scopes_disabled


def pytest_configure(config):
    assert settings.TESTING, "run the tests with DJANGO_SETTINGS_MODULE=haven.settings_test"


@pytest.fixture(autouse=True)
def _unscoped_test_code():
    """Test code itself sets up several agencies, so it runs unscoped; requests made through
    the test client are still scoped by ActorMiddleware, which is what the tests check."""
    with scopes_disabled():
        yield


@pytest.fixture
def cast(db):
    from haven.core.testing import build_cast

    return build_cast()


@pytest.fixture
def client_as(client, cast):
    """client_as("advocate") signs the test client in as that member of the cast."""

    def sign_in(role: str):
        membership = getattr(cast, role)
        client.force_login(membership.user)
        return client

    return sign_in
