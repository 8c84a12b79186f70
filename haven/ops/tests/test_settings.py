"""The settings an operator and a newcomer meet: HTTPS passes Django's deployment check, mail
is written to files until an SMTP server is named, the worker is quiet."""

import importlib
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

import haven.settings

ROOT = Path(settings.BASE_DIR)


@pytest.fixture
def fresh_settings(monkeypatch, tmp_path):
    """haven.settings evaluated again under the environment the test sets."""
    for name in ["HAVEN_SMTP_HOST", "HAVEN_MAIL_DIR", "HAVEN_WORKER_LOG_LEVEL", "HAVEN_HTTPS"]:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HAVEN_VAR_DIR", str(tmp_path))

    def load(**env):
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        return importlib.reload(haven.settings)

    yield load
    monkeypatch.undo()
    importlib.reload(haven.settings)


def test_without_an_smtp_server_mail_is_written_to_files_in_var(fresh_settings, tmp_path):
    loaded = fresh_settings()
    assert loaded.EMAIL_BACKEND == "django.core.mail.backends.filebased.EmailBackend"
    assert str(loaded.EMAIL_FILE_PATH) == str(tmp_path / "mail")


def test_naming_an_smtp_server_sends_mail_through_it(fresh_settings):
    loaded = fresh_settings(
        HAVEN_SMTP_HOST="mail.example.gov",
        HAVEN_SMTP_PORT="587",
        HAVEN_SMTP_USER="haven",
        HAVEN_SMTP_PASSWORD="s3cret",
        HAVEN_SMTP_STARTTLS="1",
    )
    assert loaded.EMAIL_BACKEND == "django.core.mail.backends.smtp.EmailBackend"
    assert (loaded.EMAIL_HOST, loaded.EMAIL_PORT) == ("mail.example.gov", 587)
    assert (loaded.EMAIL_HOST_USER, loaded.EMAIL_HOST_PASSWORD) == ("haven", "s3cret")
    assert loaded.EMAIL_USE_TLS is True


def test_the_worker_logs_warnings_only_unless_asked(fresh_settings):
    assert fresh_settings().HUEY["consumer"] == {"verbose": False}  # huey: WARNING
    assert fresh_settings(HAVEN_WORKER_LOG_LEVEL="info").HUEY["consumer"] == {"verbose": None}
    with pytest.raises(ImproperlyConfigured, match="HAVEN_WORKER_LOG_LEVEL='LOUD'"):
        fresh_settings(HAVEN_WORKER_LOG_LEVEL="loud")


def test_https_turns_on_hsts_secure_cookies_and_the_redirect(fresh_settings):
    loaded = fresh_settings(HAVEN_HTTPS="1")
    assert loaded.SECURE_SSL_REDIRECT and loaded.SESSION_COOKIE_SECURE and loaded.CSRF_COOKIE_SECURE
    assert loaded.SECURE_HSTS_SECONDS == 31536000
    assert loaded.SECURE_HSTS_INCLUDE_SUBDOMAINS and loaded.SECURE_HSTS_PRELOAD
    assert loaded.SECURE_REDIRECT_EXEMPT == [r"^healthz$"]
    plain = fresh_settings(HAVEN_HTTPS="0")
    assert not plain.SECURE_SSL_REDIRECT and plain.SECURE_HSTS_SECONDS == 0


def test_the_deployment_check_is_clean_behind_https(tmp_path):
    env = {
        k: v
        for k, v in os.environ.items()
        # DJANGO_ALLOW_ASYNC_UNSAFE: set by the browser tests in this process, never deployed.
        if not k.startswith("HAVEN_")
        and k not in ("DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE")
    }
    env |= {
        "HAVEN_HTTPS": "1",
        "HAVEN_VAR_DIR": str(tmp_path),
        "HAVEN_ALLOWED_HOSTS": "haven.example.gov",
        # A deployment names its address, or links in messages would point at the laptop's.
        "HAVEN_SITE_URL": "https://haven.example.gov",
        "DJANGO_SETTINGS_MODULE": "haven.settings",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout
