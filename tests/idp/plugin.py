"""The `idp` fixture: a real OpenID Connect provider (tests/idp, django-oauth-toolkit) in a
second process, started once per test run (per xdist worker) on a free port.

Tests marked `idp` run once per CI run: on the SQLite pass. CI runs the suite again on
PostgreSQL, where these tests (what they check does not depend on the database) are skipped
unless HAVEN_IDP_TESTS=always.
"""

import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

ROOT = Path(__file__).resolve().parents[2]
STARTUP_SECONDS = 60


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "idp: signs in through the test OpenID provider (tests/idp) in a second process"
    )


def pytest_collection_modifyitems(config, items):
    from django.conf import settings

    on_sqlite = settings.DATABASES["default"]["ENGINE"].endswith("sqlite3")
    if on_sqlite or os.environ.get("HAVEN_IDP_TESTS") == "always":
        return
    skip = pytest.mark.skip(
        reason="the OpenID provider tests run once, on the SQLite pass (HAVEN_IDP_TESTS=always)"
    )
    for item in items:
        if "idp" in item.keywords:
            item.add_marker(skip)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class IdentityProvider:
    """The running provider: its issuer, and `seed` to put users and the client in it."""

    url: str
    seed_token: str
    process: subprocess.Popen = field(repr=False)

    @property
    def issuer(self) -> str:
        return f"{self.url}/o"

    def seed(self, **data) -> None:
        response = requests.post(
            f"{self.url}/seed/", json=data, headers={"X-Seed-Token": self.seed_token}, timeout=10
        )
        response.raise_for_status()

    def add_user(self, username, email, *, password="idp-pass-1234", **flags) -> dict:
        user = {"username": username, "email": email, "password": password, **flags}
        self.seed(users=[user])
        return user

    def register_client(self, client_id, client_secret, redirect_uris) -> None:
        self.seed(
            client={
                "client_id": client_id,
                "client_secret": client_secret,
                "redirect_uris": list(redirect_uris),
            }
        )

    def sign_tokens_as(self, issuer: str) -> None:
        self.seed(issuer_override=issuer)


@pytest.fixture(scope="session")
def idp():
    workdir = Path(tempfile.mkdtemp(prefix="haven-idp-"))
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    env = {
        key: value for key, value in os.environ.items() if not key.startswith(("HAVEN_", "DJANGO_"))
    } | {
        "DJANGO_SETTINGS_MODULE": "tests.idp.settings",
        "PYTHONPATH": str(ROOT),
        "IDP_SECRET_KEY": secrets.token_urlsafe(32),
        "IDP_DATABASE": str(workdir / "idp.sqlite3"),
        "IDP_RSA_PRIVATE_KEY": pem,
        "IDP_SEED_TOKEN": secrets.token_urlsafe(24),
    }
    port = _free_port()
    env["IDP_ISSUER"] = f"http://127.0.0.1:{port}/o"
    django_admin = [sys.executable, "-m", "django"]
    subprocess.run(
        [*django_admin, "migrate", "--noinput", "-v", "0"], env=env, cwd=ROOT, check=True
    )
    log = open(workdir / "idp.log", "w")  # noqa: SIM115 (closed below)
    process = subprocess.Popen(
        [*django_admin, "runserver", "--noreload", f"127.0.0.1:{port}"],
        env=env,
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    provider = IdentityProvider(
        url=f"http://127.0.0.1:{port}", seed_token=env["IDP_SEED_TOKEN"], process=process
    )
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while True:
            try:
                requests.get(f"{provider.issuer}/.well-known/openid-configuration", timeout=2)
                break
            except requests.ConnectionError:
                if process.poll() is not None or time.monotonic() > deadline:
                    log.flush()
                    pytest.fail(
                        "the test OpenID provider did not start:\n"
                        + (workdir / "idp.log").read_text()[-3000:]
                    )
                time.sleep(0.2)
        yield provider
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()
        shutil.rmtree(workdir, ignore_errors=True)
