"""Documents on an S3-compatible store (HAVEN_STORAGE=s3), against a real S3 server process.

The server is moto's (`python -m moto.server`), started here as a process of its own on a free
port: it answers the S3 HTTP API (buckets, PUT/GET/HEAD/DELETE of objects, listing) the way
AWS S3 does, so django-storages and boto3 talk HTTP to it exactly as to AWS or MinIO. MinIO
itself is packaged neither for PyPI, npm nor Debian, the only sources this project installs
from. The storage settings are the ones haven/settings.py builds from the HAVEN_S3_* variables
(read in a new process with those variables set), so what is tested is what an operator gets.
"""

import io
import json
import os
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import boto3
import pytest
from cryptography.fernet import Fernet
from django.conf import settings as django_settings
from django.core.management import call_command

from haven.audit.models import AuditAction, AuditEvent
from haven.documents.models import Document
from haven.documents.services import document_delete, document_upload, purge_documents_for
from haven.documents.storage import blob_read, blob_token
from haven.documents.tests.helpers import PDF_BYTES, pdf
from haven.lib.crypto import encrypted_with_primary
from haven.ops.backup import backup_read

ROOT = Path(django_settings.BASE_DIR)
PREFIX = "haven"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def s3_endpoint(tmp_path_factory):
    """An S3 server in a process of its own; its address."""
    port = _free_port()
    log = tmp_path_factory.mktemp("moto") / "server.log"
    with open(log, "wb") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    deadline = time.monotonic() + 30
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                server.kill()
                pytest.fail(f"The S3 server did not start: {log.read_text()}")
            time.sleep(0.1)
    yield f"http://127.0.0.1:{port}"
    server.terminate()
    server.wait(timeout=10)


def s3_environment(endpoint: str, bucket: str) -> dict[str, str]:
    return {
        "HAVEN_STORAGE": "s3",
        "HAVEN_S3_BUCKET": bucket,
        "HAVEN_S3_ENDPOINT_URL": endpoint,
        "HAVEN_S3_REGION": "us-east-1",
        "HAVEN_S3_ACCESS_KEY_ID": "haven-test",
        "HAVEN_S3_SECRET_ACCESS_KEY": "haven-test-secret",
        "HAVEN_S3_PREFIX": PREFIX,
        "HAVEN_S3_ADDRESSING_STYLE": "path",
    }


def settings_in_new_process(env: dict[str, str], expression: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import django, json; django.setup(); from django.conf import settings; "
            f"print(json.dumps({expression}))",
        ],
        cwd=ROOT,
        env=dict(os.environ, DJANGO_SETTINGS_MODULE="haven.settings", **env),
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture(scope="session")
def s3_settings(s3_endpoint):
    """STORAGES["default"] as haven/settings.py builds it from the HAVEN_S3_* variables."""
    env = s3_environment(s3_endpoint, "haven-documents")
    result = settings_in_new_process(env, 'settings.STORAGES["default"]')
    assert result.returncode == 0, result.stderr
    return env, json.loads(result.stdout)


@pytest.fixture
def bucket(s3_endpoint, s3_settings, settings):
    """A fresh bucket per test, and Haven's default storage pointed at it."""
    env, default = s3_settings
    name = f"haven-{uuid.uuid4().hex[:12]}"
    client = boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        region_name="us-east-1",
        aws_access_key_id="haven-test",
        aws_secret_access_key="haven-test-secret",
    )
    client.create_bucket(Bucket=name)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {**default, "OPTIONS": {**default["OPTIONS"], "bucket_name": name}},
    }

    class Bucket:
        def __init__(self):
            self.name, self.client, self.env = name, client, {**env, "HAVEN_S3_BUCKET": name}

        def objects(self) -> list[str]:
            listed = client.list_objects_v2(Bucket=name).get("Contents", [])
            return sorted(item["Key"] for item in listed)

        def get(self, key: str) -> bytes:
            return client.get_object(Bucket=name, Key=key)["Body"].read()

        def acl_grants(self, key: str) -> list[str]:
            grants = client.get_object_acl(Bucket=name, Key=key)["Grants"]
            return [grant["Grantee"].get("URI", "owner") for grant in grants]

    return Bucket()


def attach(actor, case, name="order.pdf", **fields):
    return document_upload(
        actor=actor, file=pdf(name), name=name, case=case, kind="protection_order", **fields
    )


def test_the_s3_settings_come_from_the_environment(s3_settings, s3_endpoint):
    _env, default = s3_settings
    assert default["BACKEND"] == "storages.backends.s3.S3Storage"
    assert default["OPTIONS"] == {
        "bucket_name": "haven-documents",
        "endpoint_url": s3_endpoint,
        "region_name": "us-east-1",
        "access_key": "haven-test",
        "secret_key": "haven-test-secret",
        "location": PREFIX,
        "addressing_style": "path",
        "default_acl": "private",
        "file_overwrite": False,
    }


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"HAVEN_STORAGE": "s3"}, "needs HAVEN_S3_BUCKET"),
        (
            {"HAVEN_STORAGE": "s3", "HAVEN_S3_BUCKET": "b", "HAVEN_S3_ADDRESSING_STYLE": "dns"},
            "use auto, path or virtual",
        ),
        ({"HAVEN_STORAGE": "ftp"}, "use local or s3"),
    ],
)
def test_an_incomplete_s3_setting_stops_haven_with_a_message(env, message):
    result = settings_in_new_process(env, "1")
    assert result.returncode != 0
    assert message in result.stderr


@pytest.mark.django_db
def test_an_upload_reaches_the_bucket_encrypted_and_downloads_intact(
    alice, cast, bucket, client_as
):
    document = attach(alice, cast.case_a, "Dana Reyes order.pdf")

    key = f"{PREFIX}/{document.blob}"
    assert bucket.objects() == [key]
    assert document.blob.startswith(f"documents/{cast.agency_a.pk}/")
    assert "Dana" not in key
    stored = bucket.get(key)
    assert PDF_BYTES not in stored and b"Dana" not in stored
    assert encrypted_with_primary(stored)
    assert bucket.acl_grants(key) == ["owner"]  # private: no AllUsers or AuthenticatedUsers

    response = client_as("advocate").get(f"/documents/{document.pk}/download/")
    assert response.status_code == 200
    assert response.content == PDF_BYTES
    assert AuditEvent.objects.filter(
        action=AuditAction.DOCUMENT_DOWNLOAD, object_id=str(document.pk)
    ).exists()


@pytest.mark.django_db
def test_deleting_and_purging_remove_the_objects_from_the_bucket(
    alice, cast, bucket, sister, django_capture_on_commit_callbacks
):
    one = attach(alice, cast.case_a, "a.pdf")
    attach(alice, cast.case_a, "b.pdf", person=sister)
    kept = document_upload(
        actor=alice, file=pdf("c.pdf"), name="c.pdf", person=sister, kind="other"
    )
    assert len(bucket.objects()) == 3

    with django_capture_on_commit_callbacks(execute=True):
        document_delete(actor=alice, document=one, reason="Wrong file")
    assert f"{PREFIX}/{one.blob}" not in bucket.objects()
    assert len(bucket.objects()) == 2

    with django_capture_on_commit_callbacks(execute=True):
        purged = purge_documents_for(case=cast.case_a)
    assert len(purged) == 1
    assert bucket.objects() == [f"{PREFIX}/{kept.blob}"]
    assert list(Document.objects.values_list("pk", flat=True)) == [kept.pk]


@pytest.mark.django_db
def test_a_refused_upload_puts_nothing_in_the_bucket(alice, cast, bucket):
    from django.core.exceptions import ValidationError
    from django.core.files.uploadedfile import SimpleUploadedFile

    with pytest.raises(ValidationError):
        document_upload(
            actor=alice,
            file=SimpleUploadedFile("x.exe", b"MZ\x90\x00"),
            name="x.exe",
            case=cast.case_a,
            kind="other",
        )
    assert bucket.objects() == []


@pytest.mark.django_db
def test_key_rotation_rewrites_the_objects_in_the_bucket(alice, cast, bucket, settings):
    document = attach(alice, cast.case_a)
    old = document.blob
    settings.FIELD_ENCRYPTION_KEYS = [
        Fernet.generate_key().decode(),
        *settings.FIELD_ENCRYPTION_KEYS,
    ]
    call_command("rotate_field_keys", stdout=io.StringIO())

    document.refresh_from_db()
    assert bucket.objects() == [f"{PREFIX}/{document.blob}"] and document.blob != old
    assert encrypted_with_primary(blob_token(document.blob))
    assert blob_read(document.blob) == PDF_BYTES


@pytest.mark.skipif(
    not django_settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"),
    reason="restores into a new SQLite file",
)
@pytest.mark.django_db(transaction=True)
def test_backup_copies_the_objects_and_restore_puts_them_back_in_the_bucket(cast, bucket, tmp_path):
    alice = cast.actor("advocate")
    document = attach(alice, cast.case_a)
    key = f"{PREFIX}/{document.blob}"
    stored = bucket.get(key)

    call_command("backup", "--out", str(tmp_path / "b"), stdout=io.StringIO())
    assert (tmp_path / "b" / document.blob).read_bytes() == stored
    assert backup_read(tmp_path / "b")["files"][document.blob]["bytes"] == len(stored)

    # The bucket loses the object; a restore run as an operator runs it (a new process, the
    # HAVEN_S3_* variables, an empty database) puts it back under the same name.
    bucket.client.delete_object(Bucket=bucket.name, Key=key)
    assert bucket.objects() == []
    result = subprocess.run(
        [sys.executable, "manage.py", "restore", str(tmp_path / "b")],
        cwd=ROOT,
        env=dict(
            os.environ,
            HAVEN_DATABASE_URL=f"sqlite:///{tmp_path / 'restored.sqlite3'}",
            **bucket.env,
        ),
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    assert "Document files put back in storage: 1." in result.stdout
    assert bucket.objects() == [key]
    assert bucket.get(key) == stored
